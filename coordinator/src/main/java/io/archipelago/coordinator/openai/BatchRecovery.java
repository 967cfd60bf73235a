package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.openai.BatchRun.Attempt;
import io.archipelago.coordinator.openai.BatchStore.StoredBatch;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.CargoType;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Resumes, once the coordinator is ready (its event processors running), every batch stored as running: the
 * coordinator stopped in it, and the market's events about its jobs since then reached no one. Each item's attempt
 * that was out is followed again through {@link Batches}, then settled from what the event store already says of its
 * job: a completed job gives the item its real units and cost (its output, streamed to the stopped coordinator, is
 * lost), a failed or expired one fails the attempt, retried as any failed attempt is (the bridge fails the jobs that
 * were running when the coordinator stopped). Following first, reading second, so an event is seen by one or the
 * other (a second sighting is ignored). Items waiting for an attempt are placed from the stored inputs. The batch
 * then ends as any batch does, its progress events appended to those stored before the restart. A bid that rested
 * when the coordinator stopped is expired through the market ({@link ExpireBids}), which fails its attempt.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class BatchRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRecovery.class);

    private final Batches batches;
    private final BatchStore store;
    private final BatchEvents events;
    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;
    private final CommandGateway commands;
    private final Duration restingWait;

    BatchRecovery(Batches batches, BatchStore store, BatchEvents events, JdbcClient jdbc,
                  org.axonframework.config.Configuration axon, ObjectMapper json, Clock clock,
                  @Value("${archipelago.batches.max-attempts:3}") int maxAttempts, CommandGateway commands,
                  @Value("${archipelago.openai.resting-wait:3s}") Duration restingWait) {
        this.commands = commands;
        this.restingWait = restingWait;
        this.batches = batches;
        this.store = store;
        this.events = events;
        this.jdbc = jdbc;
        this.serializer = axon.eventSerializer();
        this.json = json;
        this.clock = clock;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeRunningBatches() {
        for (StoredBatch stored : store.running()) {
            LOG.info("resuming batch {}, running when the coordinator stopped", stored.id());
            resume(stored);
        }
    }

    private void resume(StoredBatch stored) {
        events.open(stored.id());
        BatchRun run = BatchRun.resumed(stored, store.nextSeq(stored.id()), store.resumable(stored.id()).orElse(null),
                store, events, json, clock, maxAttempts);
        List<Attempt> out = new ArrayList<>();
        for (int index = 0; index < stored.total(); index++) {
            Attempt attempt = run.resumedAttempt(index, this::known);
            if (attempt != null) {
                batches.follow(attempt);
                out.add(attempt);
            }
        }
        run.queueWaiting();
        if (run.terms != null) {
            batches.resume(run);
        }
        for (Attempt attempt : out) {
            settle(attempt.jobId());
        }
        if (!out.isEmpty()) {
            // a bid resting when the coordinator stopped has no one left to expire it: ask the market now, and once
            // more when a bid submitted just before the stop has run out its time to live
            CargoType cargo = new CargoType(stored.model());
            expire(cargo);
            CompletableFuture.delayedExecutor(restingWait.toMillis() + 1_000, TimeUnit.MILLISECONDS)
                    .execute(() -> expire(cargo));
        }
    }

    private void expire(CargoType cargo) {
        commands.send(new ExpireBids(cargo, clock.instant())).whenComplete((done, refused) -> {
            if (refused != null) {
                LOG.warn("the market did not expire the resting bids of {}: {}", cargo.value(), refused.toString());
            }
        });
    }

    /** Whether the event store holds any event about job {@code jobId}. */
    private boolean known(String jobId) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE :pattern")
                .param("pattern", pattern(jobId)).query(Long.class).single() > 0;
    }

    /** Hands the job's end, if the event store has one, to {@link Batches} as the live processor would. */
    private void settle(String jobId) {
        List<Object> ends = jdbc.sql("SELECT payload_type, payload_revision, payload FROM domain_event_entry "
                        + "WHERE (payload_type LIKE '%.JobCompleted' OR payload_type LIKE '%.JobFailed' "
                        + "OR payload_type LIKE '%.BidExpired') AND convert_from(payload, 'UTF8') LIKE :pattern "
                        + "ORDER BY global_index")
                .param("pattern", pattern(jobId))
                .query((row, number) -> serializer.deserialize(new SimpleSerializedObject<>(row.getBytes("payload"),
                        byte[].class, row.getString("payload_type"), row.getString("payload_revision"))))
                .list();
        for (Object end : ends) {
            if (end instanceof JobCompleted completed && completed.jobId().value().equals(jobId)) {
                batches.completed(jobId, completed.islandId().value(), completed.units(),
                        completed.charged().value());
            } else if (end instanceof JobFailed failed && failed.jobId().value().equals(jobId)) {
                batches.failed(jobId, failed.islandId().value(), failed.reason());
            } else if (end instanceof BidExpired expired && expired.jobId().value().equals(jobId)) {
                batches.failed(jobId, null, BatchProgress.EXPIRED);
            }
        }
    }

    private static String pattern(String jobId) {
        return "%\"" + jobId + "\"%";
    }
}
