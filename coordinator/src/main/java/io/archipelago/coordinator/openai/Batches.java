package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.InputTooLarge;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.coordinator.openai.BatchRun.Attempt;
import io.archipelago.exchange.account.api.AccountId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Runs batches: each batch's items are placed one after the other through the {@link JobDesk} on a thread of the
 * batch's own, each as its own job, and the market's events about those jobs ({@link BatchProgress}) move the items
 * on. An attempt that the market failed (the Island failed it after streaming, or no Island took it before its bid
 * expired) is tried again as a new job, at most {@code archipelago.batches.max-attempts} attempts per item; a bid the
 * market rejected (credits, royalty) is not. Batches run in this process: after a restart {@link BatchRecovery} resumes
 * the batches still stored as running from the exchange's own facts.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class Batches implements AutoCloseable {

    /** The most inputs one batch takes. */
    static final int MAX_INPUTS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);
    /** How long the completion of a settled job waits for the last of its output before it is taken as it is. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(30);

    private final JobDesk desk;
    private final IslandBridge bridge;
    private final BatchStore store;
    private final BatchEvents events;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final ExecutorService runners;

    Batches(JobDesk desk, IslandBridge bridge, BatchStore store, BatchEvents events, ObjectMapper json, Clock clock,
            @Value("${archipelago.batches.max-attempts:3}") int maxAttempts) {
        this.desk = desk;
        this.bridge = bridge;
        this.store = store;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = Math.max(1, maxAttempts);
        AtomicInteger threads = new AtomicInteger();
        this.runners = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "batch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Records a batch of {@code inputs} (job inputs, already checked) and starts placing them; returns its id. */
    String start(AccountId account, String model, BidTerms terms, List<ObjectNode> inputs) {
        String id = "batch-" + UUID.randomUUID();
        // live before stored: a subscriber that finds the batch in the store also finds it live
        events.open(id);
        try {
            store.create(id, account.value(), model, terms, inputs, clock.instant());
        } catch (RuntimeException unstored) {
            events.forget(id);
            throw unstored;
        }
        BatchRun run = new BatchRun(id, account, model, terms, inputs, store, events, json, clock, maxAttempts);
        runners.execute(() -> place(run));
        return id;
    }

    private void place(BatchRun run) {
        try {
            while (true) {
                Integer index = run.next(1_000);
                if (index != null && index == BatchRun.END) {
                    return;
                }
                if (index != null) {
                    place(run, index);
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private void place(BatchRun run, int index) {
        Attempt attempt = run.attempt(index);
        attempts.put(attempt.jobId(), attempt);
        try {
            JobDesk.Placed placed = desk.place(attempt.jobId(), run.model, run.account,
                    Objects.requireNonNull(run.terms, "a resumed batch places nothing"), run.input(index),
                    attempt.relay(), attempt.avoid());
            run.submitted(attempt, placed.outcome(), placed.subscription());
        } catch (OpenAiException refused) {
            if (refused.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                // the bid outlived the desk's wait: its end (expiry, or a placement after all) comes as events
                run.submitted(attempt, null, bridge.streams().subscribe(attempt.jobId(), attempt.relay()));
            } else {
                attempts.remove(attempt.jobId());
                run.failed(attempt, null, refused.getMessage(), false);
            }
        } catch (InputTooLarge refused) {
            // the same input would be refused on every attempt
            attempts.remove(attempt.jobId());
            run.failed(attempt, null, refused.getMessage(), false);
        } catch (RuntimeException failed) {
            LOG.warn("batch {} item {}: the bid could not be submitted", run.id, index, failed);
            attempts.remove(attempt.jobId());
            run.failed(attempt, null, "the bid could not be submitted: " + failed.getMessage(), true);
        }
    }

    /** Places the items of {@code run}, resumed after a restart, that wait for an attempt, and any it retries. */
    void resume(BatchRun run) {
        runners.execute(() -> place(run));
    }

    /** Follows {@code attempt} of a batch resumed after a restart: the market's events about its job move it on. */
    void follow(Attempt attempt) {
        attempts.put(attempt.jobId(), attempt);
    }

    void placed(String jobId, String island) {
        Attempt attempt = attempts.get(jobId);
        if (attempt != null) {
            attempt.run().placed(attempt, island);
        }
    }

    void completed(String jobId, String island, long units, long cost) {
        Attempt attempt = attempts.remove(jobId);
        if (attempt == null) {
            return;
        }
        attempt.relay().finished().orTimeout(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((text, lost) -> attempt.run().completed(attempt, island, units, cost, text));
    }

    void failed(String jobId, @Nullable String island, String reason) {
        Attempt attempt = attempts.remove(jobId);
        if (attempt != null) {
            attempt.run().failed(attempt, island, reason, true);
        }
    }

    void lost(String jobId, String island) {
        Attempt attempt = attempts.get(jobId);
        if (attempt != null) {
            attempt.run().lost(attempt, island);
        }
    }

    @Override
    public void close() {
        runners.shutdownNow();
    }
}
