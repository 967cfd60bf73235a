package io.archipelago.coordinator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.exchange.account.api.CacheTier;
import io.archipelago.exchange.account.api.RecordCacheHit;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;

/**
 * The inference cache. {@link #lookup} decides whether a chat request may use the cache
 * ({@link CacheUse}) and finds the account's answer to the same request ({@link RequestKey}) kept within the TTL,
 * or, when the request or its account opted into the semantic tier, a near-duplicate's answer ({@link SemanticIndex},
 * a cosine threshold per Cargo type, and the {@link ParaphraseGuard});
 * {@link #served} records a hit as {@code CacheHitRecorded} on the consumer's account, with what the source job cost
 * as the saving; {@link #keep} stores the answer of a job that completed whole. Lookups read PostgreSQL on the
 * request's thread; counting misses, keeping answers and recording hits happen on the cache's own thread, so a
 * request never waits for them. Answers are never shared between accounts.
 */
public final class InferenceCache {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceCache.class);
    /** How often, and how many times, a hit waits for the read model to learn what its source job cost. */
    private static final long SAVING_RETRY_MILLIS = 100;
    private static final int SAVING_RETRIES = 50;
    /** Near-duplicates looked at per request, most similar first. */
    private static final int NEIGHBOURS = 4;
    private static final int INDEX_BATCH = 1_000;

    private final CacheEntries entries;
    private final CacheProperties properties;
    private final CommandGateway commands;
    private final JobViews jobs;
    private final SemanticIndex index;
    private final Clock clock;
    private long indexed;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "inference-cache");
        thread.setDaemon(true);
        return thread;
    });

    InferenceCache(CacheEntries entries, CacheProperties properties, CommandGateway commands, JobViews jobs,
                   SemanticIndex index, Clock clock) {
        this.index = index;
        this.entries = entries;
        this.properties = properties;
        this.commands = commands;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** What the cache said about one request. */
    public enum Outcome {
        /** Answered from the exact tier. */
        EXACT,
        /** Answered from the semantic tier: a near-duplicate's answer, similar enough and safe by the guards. */
        SEMANTIC,
        /** Looked up and not found: the job runs and its answer is kept. */
        MISS,
        /** Left out of the cache (asked to, sampled, or the cache is off): the job runs, nothing is kept. */
        BYPASS;

        /** The value of the response header and body field. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The cache's answer to one request.
     *
     * @param key    the request's key, null when bypassed
     * @param answer the cached answer, present on a hit
     * @param prompt the request's prompt text, empty when bypassed
     * @param vector the prompt's embedding when the semantic tier was asked for, to keep with the answer
     */
    public record Lookup(Outcome outcome, @Nullable RequestKey key, @Nullable CachedAnswer answer, String prompt,
                         float @Nullable [] vector) {
    }

    /**
     * Looks {@code request} of {@code account} up on Cargo {@code cargo} as registered in {@code cargoVersion}.
     *
     * @throws IllegalArgumentException when the request's cache header or field is not one the cache knows
     */
    public Lookup lookup(AccountId account, String cargo, String cargoVersion, JsonNode request,
                         HttpHeaders headers) {
        CacheUse use = CacheUse.of(request, headers, false);
        boolean semantic = CacheUse.semantic(request, headers);
        if (properties.enabled() && use != CacheUse.BYPASSED && !semantic) {
            CacheEntries.Preference preference = entries.preference(account.value());
            semantic = preference.semantic() && use == CacheUse.CACHED;
            if (use == CacheUse.SAMPLED && preference.sampled()) {
                use = CacheUse.CACHED;
            }
        }
        if (!properties.enabled() || use != CacheUse.CACHED) {
            later(() -> entries.count(account.value(), Outcome.BYPASS.label()));
            return new Lookup(Outcome.BYPASS, null, null, "", null);
        }
        RequestKey key = RequestKey.of(cargo, cargoVersion, request);
        String prompt = RequestKey.prompt(request);
        Optional<CachedAnswer> answer = entries.find(account.value(), key.hash(), notBefore());
        if (answer.isPresent()) {
            return new Lookup(Outcome.EXACT, key, answer.get(), prompt, null);
        }
        if (semantic) {
            float[] vector = index.embed(prompt);
            Optional<CachedAnswer> near = nearDuplicate(account, cargo, key, prompt, vector);
            if (near.isPresent()) {
                return new Lookup(Outcome.SEMANTIC, key, near.get(), prompt, vector);
            }
            later(() -> entries.count(account.value(), Outcome.MISS.label()));
            return new Lookup(Outcome.MISS, key, null, prompt, vector);
        }
        later(() -> entries.count(account.value(), Outcome.MISS.label()));
        return new Lookup(Outcome.MISS, key, null, prompt, null);
    }

    /**
     * The nearest answers of the account to the same Cargo and parameters, the first similar beyond the Cargo's
     * threshold whose prompt the {@link ParaphraseGuard} finds safe to share an answer with.
     */
    private Optional<CachedAnswer> nearDuplicate(AccountId account, String cargo, RequestKey key, String prompt,
                                                 float[] vector) {
        double threshold = properties.semanticThreshold(cargo);
        for (SemanticIndex.Neighbour neighbour : index.nearest(account.value(), key.scope(), vector, NEIGHBOURS)) {
            if (neighbour.cosine() < threshold) {
                break;
            }
            Optional<CachedAnswer> candidate = entries.find(account.value(), neighbour.id(), notBefore());
            if (candidate.isPresent() && ParaphraseGuard.safe(prompt, candidate.get().prompt())) {
                return candidate;
            }
        }
        return Optional.empty();
    }

    /**
     * Records that request {@code requestId} of {@code account} was answered by {@code answer}: an event on the
     * account, saving what its source job cost.
     */
    public void served(AccountId account, String requestId, Lookup lookup) {
        CachedAnswer answer = lookup.answer();
        if (answer == null) {
            return;
        }
        CacheTier tier = lookup.outcome() == Outcome.SEMANTIC ? CacheTier.SEMANTIC : CacheTier.EXACT;
        Instant at = clock.instant();
        later(() -> record(account, requestId, answer, tier, at, SAVING_RETRIES));
    }

    /**
     * Records the hit with its saving; while the job read model has not seen the source job settle (it completed a
     * moment ago), tries again a little later, and records a saving of zero after {@code retries} more tries.
     */
    private void record(AccountId account, String requestId, CachedAnswer answer, CacheTier tier, Instant at,
                        int retries) {
        Optional<Long> saved = saving(answer);
        if (saved.isEmpty() && retries > 0) {
            try {
                writer.schedule(() -> later(() -> record(account, requestId, answer, tier, at, retries - 1)),
                        SAVING_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException closing) {
                LOG.debug("inference cache is closing: {}", closing.toString());
            }
        }
        commands.send(new RecordCacheHit(account, requestId, new JobId(answer.jobId()),
                new CargoType(answer.cargo()), tier, MicroCredits.of(saved.orElse(0L)), at))
                .whenComplete((ignored, refused) -> {
                    if (refused != null) {
                        LOG.warn("cache hit {} of {} was not recorded: {}", requestId, account, refused.getMessage());
                    }
                });
    }

    /** Keeps the answer of job {@code jobId}, which completed whole, for the request {@code lookup} missed. */
    public void keep(AccountId account, Lookup lookup, String cargo, String jobId, List<String> chunks,
                     long promptTokens, long completionTokens, long units) {
        RequestKey key = lookup.key();
        if (lookup.outcome() != Outcome.MISS || key == null) {
            return;
        }
        Instant at = clock.instant();
        later(() -> entries.put(account.value(), key, cargo, List.copyOf(chunks), lookup.prompt(), lookup.vector(),
                        promptTokens, completionTokens, units, jobId, properties.maxEntryBytes(), at,
                        at.minus(properties.ttl()))
                .ifPresent(id -> {
                    if (lookup.vector() != null) {
                        index.add(id, account.value(), key.scope(), lookup.vector());
                    }
                }));
    }

    /** Deletes every answer kept for {@code account}; returns how many. */
    public int forget(AccountId account) {
        index.forget(account.value());
        return entries.deleteAccount(account.value());
    }

    /**
     * Deletes the answers of Cargo type {@code cargo} kept before {@code before}; returns how many. The node's index
     * keeps their vectors until it is rebuilt, but an entry that is gone is never served.
     */
    public int forgetCargo(String cargo, Instant before) {
        return entries.deleteCargo(cargo, before);
    }

    /** Deletes what is past its time and what is beyond the limits; returns how many answers went. */
    public int sweep() {
        int deleted = entries.sweep(notBefore(), properties.maxEntries(), properties.maxTotalBytes());
        indexStored();
        return deleted;
    }

    /** Adds to the index the embeddings stored since it last looked: at start, all; later, other nodes' answers. */
    synchronized void indexStored() {
        List<CacheEntries.Embedded> batch;
        do {
            batch = entries.embeddings(indexed, INDEX_BATCH);
            for (CacheEntries.Embedded embedded : batch) {
                index.add(embedded.id(), embedded.account(), embedded.scope(), embedded.vector());
                indexed = embedded.id();
            }
        } while (batch.size() == INDEX_BATCH);
    }

    private Instant notBefore() {
        return clock.instant().minus(properties.ttl());
    }

    /** What the source job cost, read from the job read model once and kept on the entry; empty while unknown. */
    private Optional<Long> saving(CachedAnswer answer) {
        if (answer.chargedMicroCredits() != null) {
            return Optional.of(answer.chargedMicroCredits());
        }
        Optional<Long> charged = jobs.find(answer.jobId()).map(JobView::chargedMicroCredits);
        charged.ifPresent(known -> entries.charged(answer.id(), known));
        return charged;
    }

    private void later(Runnable task) {
        try {
            writer.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException failure) {
                    LOG.warn("inference cache write failed: {}", failure.toString());
                }
            });
        } catch (RejectedExecutionException closing) {
            LOG.debug("inference cache is closing: {}", closing.toString());
        }
    }

    @PreDestroy
    void close() {
        writer.shutdown();
    }
}
