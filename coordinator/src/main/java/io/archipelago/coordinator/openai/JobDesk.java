package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.access.JobClaims;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.command.market.BidBatcher;
import io.archipelago.command.web.Commands;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidQuote;
import io.archipelago.exchange.market.api.CancelJob;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.Exclusion;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.IslandRtt;
import io.archipelago.exchange.market.api.PipelineOutcome;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PlacePipeline;
import io.archipelago.exchange.market.api.QuoteBid;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.PricePerUnit;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Where every consumer request becomes a job on the exchange: its input is left for the Island, its output stream
 * subscribed before the bid goes in (so no chunk of a job placed at once is missed), and the bid submitted through the
 * {@link BidBatcher}. {@link #place} returns as soon as the market answered: placed, or resting until an Island takes
 * it or its time to live ({@code archipelago.openai.bid-ttl}, 30 s by default: longer than losing an Island takes, so a
 * job lost before its first token is placed again) runs out, which reaches the relay as {@code onExpired}. A bid that
 * only a change of its own terms could place (every Island kept out by jurisdiction, price, karma, latency or
 * verification) is withdrawn at once and refused with the count of each exclusion; a rejected bid is answered with
 * the reason. Whatever fails, the subscription is closed again. A consumer who leaves cancels its job here.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class JobDesk {

    private static final Logger LOG = LoggerFactory.getLogger(JobDesk.class);
    /** How often a client waiting for its first token hears that the request is alive. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
    /** When a pipeline no chain of Islands could take now may be tried again. */
    static final Duration PIPELINE_RETRY_AFTER = Duration.ofSeconds(2);

    private final BidBatcher batcher;
    private final IslandBridge bridge;
    private final KnownModels models;
    private final CommandGateway commands;
    private final JobClaims claims;
    private final Clock clock;
    private final Duration bidTtl;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "job-desk-timer");
        thread.setDaemon(true);
        return thread;
    });

    JobDesk(BidBatcher batcher, IslandBridge bridge, KnownModels models, CommandGateway commands, JobClaims claims,
            Clock clock,
            @Value("${archipelago.openai.bid-ttl:${archipelago.openai.resting-wait:30s}}") Duration bidTtl) {
        this.batcher = batcher;
        this.claims = claims;
        this.bridge = bridge;
        this.models = models;
        this.commands = commands;
        this.clock = clock;
        this.bidTtl = bidTtl;
    }

    /** How long a bid of this door rests at most before it expires. */
    Duration bidTtl() {
        return bidTtl;
    }

    /** Refuses a model that names no Cargo type on the exchange ({@link KnownModels}). */
    void requireModel(String model) {
        models.require(model);
    }

    /**
     * Places job {@code jobId} of {@code account} on {@code model}'s market and relays its output to {@code relay};
     * returns once the market answered.
     *
     * @return the output subscription, for the caller to close when the consumer is gone
     * @throws OpenAiException when the bid is refused or rejected
     */
    StreamSubscription place(String jobId, String model, AccountId account, BidTerms terms, ObjectNode input,
                             JobStreamListener relay) {
        return place(jobId, model, account, terms, input, relay, Set.of(), null).subscription();
    }

    /**
     * As {@link #place(String, String, AccountId, BidTerms, ObjectNode, JobStreamListener)}, pinned to
     * {@code version} of the Cargo type (a rollout's variant; null: the version the market picks).
     */
    StreamSubscription place(String jobId, String model, @Nullable String version, AccountId account,
                             BidTerms terms, ObjectNode input, JobStreamListener relay) {
        return place(jobId, model, version, account, terms, input, relay, Set.of(), null).subscription();
    }

    /**
     * As {@link #place(String, String, AccountId, BidTerms, ObjectNode, JobStreamListener)}, with Islands the bid
     * avoids where another can take it (a batch spreading its items, a retry leaving the Islands that failed it), and
     * the account's hold that funds its escrow first ({@code hold}, null for none: a workflow's worst case).
     *
     * @return the output subscription and the bid's outcome: the Island it went to at once, or resting
     */
    Placed place(String jobId, String model, AccountId account, BidTerms terms, ObjectNode input,
                 JobStreamListener relay, Set<IslandId> avoid, @Nullable String hold) {
        return place(jobId, model, null, account, terms, input, relay, avoid, hold);
    }

    private Placed place(String jobId, String model, @Nullable String version, AccountId account, BidTerms terms,
                         ObjectNode input, JobStreamListener relay, Set<IslandId> avoid, @Nullable String hold) {
        // noted on the request's Idempotency-Key before the bid exists, so a retry after this node died can end it
        claims.noteOnKey(new CargoType(model), new JobId(jobId));
        // the door made the id: the job is its account's at once for /jobs/{id}, before the read side saw the bid
        if (!claims.claim(jobId, account)) {
            throw new IllegalStateException("job id " + jobId + " is another account's");
        }
        bridge.inputs().put(jobId, account.value(), input);
        StreamSubscription subscription = bridge.streams().subscribe(jobId, relay);
        try {
            SubmitBid bid = new SubmitBid(new CargoType(model), new JobId(jobId), account,
                    PricePerUnit.of(terms.limitMicroCredits()), terms.maxUnits(), terms.jurisdiction(),
                    terms.minKarma(), terms.maxRttMicros(), terms.verifiedOnly(), bidTtl, clock.instant(), avoid,
                    version, hold);
            BidOutcome outcome = submit(bid);
            if (outcome.status() == BidOutcome.Status.REJECTED) {
                throw rejected(outcome);
            }
            if (outcome.status() == BidOutcome.Status.RESTING) {
                refuseWhatWaitingCannotPlace(bid);
            }
            return new Placed(subscription, outcome);
        } catch (RuntimeException refused) {
            subscription.close();
            throw refused;
        }
    }

    /**
     * Places job {@code jobId} of {@code account} on {@code model}'s pipeline of {@code shape}, one Island per stage
     * ({@code PlacePipeline}), and relays the last stage's output to {@code relay}; returns once the market answered.
     * The round trip between two Islands is the one they measured between them ({@code PeerProbe}); for a pair not
     * measured yet it is taken as the mean of the coordinator's measured round trips to each (on one NATS server
     * their messages travel the same way the coordinator's do) and the pair is asked to measure, for the jobs after
     * this one. Each Island offers the memory it last reported with its probe answers ({@code IslandMemoryReported});
     * one that reported none is planned on no stage.
     *
     * @throws OpenAiException when no chain of Islands can take the job or its escrow is not covered
     */
    StreamSubscription placePipeline(String jobId, String model, AccountId account, BidTerms terms, ObjectNode input,
                                     JobStreamListener relay, PipelineShape shape) {
        claims.noteOnKey(new CargoType(model), new JobId(jobId));
        if (!claims.claim(jobId, account)) {
            throw new IllegalStateException("job id " + jobId + " is another account's");
        }
        bridge.inputs().put(jobId, account.value(), input);
        StreamSubscription subscription = bridge.streams().subscribe(jobId, relay);
        try {
            Map<String, Long> reported = bridge.reportedMemoryMib();
            List<Map.Entry<String, Long>> measured = List.copyOf(new TreeMap<>(bridge.measuredRtts()).entrySet());
            Map<IslandId, Long> memoryMib = new HashMap<>();
            List<IslandRtt> hops = new ArrayList<>();
            for (int i = 0; i < measured.size(); i++) {
                Long memory = reported.get(measured.get(i).getKey());
                if (memory != null) {
                    // an Island that reported no memory is no candidate for any stage
                    memoryMib.put(new IslandId(measured.get(i).getKey()), memory);
                }
                for (int j = i + 1; j < measured.size(); j++) {
                    String one = measured.get(i).getKey();
                    String other = measured.get(j).getKey();
                    Optional<Long> between = bridge.peerRtt(one, other);
                    if (between.isEmpty()) {
                        // measured for the next job; this one plans with the estimate
                        bridge.probePeers(one, other);
                    }
                    hops.add(new IslandRtt(new IslandId(one), new IslandId(other), between.orElse(
                            (measured.get(i).getValue() + measured.get(j).getValue()) / 2)));
                }
            }
            PlacePipeline place = new PlacePipeline(new CargoType(model), new JobId(jobId), account,
                    PricePerUnit.of(terms.limitMicroCredits()), terms.maxUnits(), terms.jurisdiction(),
                    terms.minKarma(), terms.maxRttMicros(), terms.verifiedOnly(), memoryMib, hops, clock.instant());
            PipelineOutcome outcome;
            try {
                outcome = Commands.await(commands.send(place));
            } catch (IllegalArgumentException malformed) {
                throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_bid",
                        malformed.getMessage());
            }
            if (outcome == null || !outcome.placed()) {
                String refusal = outcome == null ? "no answer" : outcome.refusal();
                if (refusal != null && refusal.startsWith(RejectionReason.LEDGER_INSUFFICIENT_CREDITS.name())) {
                    throw new OpenAiException(HttpStatus.PAYMENT_REQUIRED, "insufficient_quota",
                            "insufficient_quota", "the account's available credits do not cover limit x max units");
                }
                // the Islands measure the hops this plan lacked for the next request, and Islands come and go
                throw new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "no_pipeline",
                        "no chain of Islands can run " + model + "'s " + shape.stages().size() + " stages now: "
                                + refusal, PIPELINE_RETRY_AFTER);
            }
            return subscription;
        } catch (RuntimeException refused) {
            subscription.close();
            throw refused;
        }
    }

    /** A job on its way: its output subscription and where its bid went when submitted. */
    record Placed(StreamSubscription subscription, BidOutcome outcome) {
    }

    /**
     * The consumer left before its job ended: the market settles the {@code tokensDelivered} that reached it and the
     * Island is told to stop. A job that ended meanwhile stays as it ended.
     */
    void cancel(String model, String jobId, long tokensDelivered, String reason) {
        cancelAtUnits(model, jobId, unitsOfTokens(tokensDelivered), reason);
    }

    /**
     * As {@link #cancel}, for a Cargo whose units the door counts itself (images): the market settles
     * {@code unitsDelivered}.
     */
    void cancelAtUnits(String model, String jobId, long unitsDelivered, String reason) {
        CancelJob cancel = new CancelJob(new CargoType(model), new JobId(jobId), unitsDelivered, reason,
                clock.instant());
        commands.send(cancel).whenComplete((ignored, refused) -> {
            if (refused != null) {
                LOG.debug("job {} was not cancelled: {}", jobId, refused.getMessage());
            }
        });
    }

    /**
     * Runs {@code beat} every {@link #KEEP_ALIVE} until the returned handle is cancelled, so a client waiting for an
     * Island sees the request is alive (and a client that left is noticed at the next write).
     */
    ScheduledFuture<?> keepAlive(Runnable beat) {
        long period = KEEP_ALIVE.toMillis();
        return timers.scheduleAtFixedRate(beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code action} once after {@code delay}, unless the returned handle is cancelled first. */
    ScheduledFuture<?> after(Duration delay, Runnable action) {
        return timers.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
    }

    /**
     * Chat and embeddings Cargos are priced per thousand tokens, rounded up as Islands report them; nothing
     * delivered is nothing charged.
     */
    static long unitsOfTokens(long tokens) {
        return tokens <= 0 ? 0 : (tokens + 999) / 1000;
    }

    private BidOutcome submit(SubmitBid bid) {
        try {
            return Commands.await(batcher.submit(bid));
        } catch (IllegalArgumentException malformed) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_bid",
                    malformed.getMessage());
        } catch (IllegalStateException conflict) {
            throw new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error", "bid_refused",
                    conflict.getMessage());
        }
    }

    /**
     * A resting bid that some Island could take by waiting (one comes online, a slot frees, a schedule opens) keeps
     * resting; one that every Island refuses by the bid's own terms is withdrawn and refused, since retrying the same
     * request cannot help.
     */
    private void refuseWhatWaitingCannotPlace(SubmitBid bid) {
        BidQuote quote;
        try {
            quote = commands.sendAndWait(new QuoteBid(bid), Commands.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException unanswered) {
            LOG.debug("no quote for resting bid {}: {}", bid.jobId(), unanswered.getMessage());
            return;
        }
        if (quote == null || quote.islands() == 0 || quote.excluded().entrySet().stream()
                .anyMatch(excluded -> excluded.getKey().holdsOnlyForNow() && excluded.getValue() > 0)) {
            return;
        }
        commands.send(new CancelJob(bid.cargo(), bid.jobId(), 0, "no Island can take the bid's terms",
                clock.instant()));
        throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "no_eligible_island",
                "no Island can take this job on its terms: of " + quote.islands() + " Islands offering "
                        + bid.cargo().value() + ", " + describe(quote.excluded())
                        + "; change the terms (X-Archipelago-* headers, the account's preferences) to widen them");
    }

    /** The exclusion counts as a consumer reads them, the ones that kept Islands out only. */
    static String describe(Map<Exclusion, Integer> excluded) {
        StringJoiner counts = new StringJoiner(", ");
        excluded.forEach((exclusion, islands) -> {
            if (islands > 0) {
                counts.add(islands + " excluded by " + exclusion.name().toLowerCase(Locale.ROOT));
            }
        });
        return counts.length() == 0 ? "none excluded" : counts.toString();
    }

    private static OpenAiException rejected(BidOutcome outcome) {
        if (outcome.reason() == null) {
            return new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error", "bid_rejected",
                    "the market rejected the bid");
        }
        return switch (outcome.reason()) {
            case LEDGER_INSUFFICIENT_CREDITS -> new OpenAiException(HttpStatus.PAYMENT_REQUIRED, "insufficient_quota",
                    "insufficient_quota", "the account's available credits do not cover limit x max units");
            case LEDGER_UNKNOWN_ACCOUNT -> new OpenAiException(HttpStatus.FORBIDDEN, "invalid_request_error",
                    "account_not_open", "the API key's account is not open");
            case MARKET_LIMIT_BELOW_ROYALTY -> new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                    "limit_below_royalty", "the limit price per unit cannot pay the Cargo's royalty");
            case MARKET_DUPLICATE_JOB -> new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error",
                    "duplicate_job", "a job with this id was already submitted");
            case POLICY_JURISDICTION_CONFLICT, POLICY_KARMA_CONFLICT, POLICY_LATENCY_CONFLICT,
                 POLICY_VERIFIED_CONFLICT -> new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                    outcome.reason().name().substring("POLICY_".length()).toLowerCase(Locale.ROOT),
                    "the request would relax the terms its account binds every bid to (its bid preferences): a "
                            + "request may only narrow the jurisdiction, raise the minimum karma, lower the latency "
                            + "ceiling or turn verified-only on");
        };
    }
}
