package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.InputTooLarge;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.exchange.batch.Batch;
import io.archipelago.exchange.batch.api.BatchId;
import io.archipelago.exchange.batch.api.CompleteItem;
import io.archipelago.exchange.batch.api.FailItem;
import io.archipelago.exchange.batch.api.ItemAttempted;
import io.archipelago.exchange.batch.api.RecordItemBid;
import io.archipelago.exchange.batch.api.RecordItemPlaced;
import io.archipelago.exchange.batch.api.RecordItemReassigned;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Drives batches ({@link Batch}): places each attempt the batch asks for ({@link ItemAttempted}) through the
 * {@link JobDesk} as a job of its own, and tells the batch what the market did with its jobs (placed, reassigned,
 * completed with units and cost, failed, expired). Its processor ({@link BatchConfiguration}) is a tracking one
 * whose token lives in the JDBC token store: on many nodes one runs it, and after a restart (or on the node that takes
 * over) it resumes where the last one stopped. An attempt seen again after a restart finds its bid in already and
 * follows it. The output of an item's job is gathered on the node that placed it; a job whose stream that node no
 * longer holds completes without a result.
 */
@Component
@ProcessingGroup(Batches.PROCESSING_GROUP)
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class Batches {

    static final String PROCESSING_GROUP = "batches";
    /** The most inputs one batch takes. */
    static final int MAX_INPUTS = Batch.MAX_ITEMS;
    /** Why an attempt whose bid expired ended. */
    static final String EXPIRED = "no Island took the job before its bid expired";

    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);
    /** How long the completion of a settled job waits for the last of its output before it is taken as it is. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(30);

    private final JobDesk desk;
    private final IslandBridge bridge;
    private final CommandGateway commands;
    private final ObjectMapper json;
    private final EmbeddingModels embeddings;
    private final Clock clock;
    private final Map<JobId, Followed> followed = new ConcurrentHashMap<>();

    Batches(JobDesk desk, IslandBridge bridge, CommandGateway commands, ObjectMapper json, EmbeddingModels embeddings,
            Clock clock) {
        this.embeddings = embeddings;
        this.desk = desk;
        this.bridge = bridge;
        this.commands = commands;
        this.json = json;
        this.clock = clock;
    }

    /** An item's job whose output this node gathers. */
    private record Followed(ItemOutput relay, StreamSubscription subscription) {
    }

    @EventHandler
    void on(ItemAttempted event) {
        JobId job = event.jobId();
        ObjectNode input = input(event.input());
        ItemOutput relay;
        try {
            relay = output(event, input);
        } catch (OpenAiException unusable) {
            // checked at submission: an input that no longer reads as its request would be refused on every attempt
            tell(new FailItem(event.batchId(), job, null, unusable.getMessage(), false, clock.instant()));
            return;
        }
        try {
            JobDesk.Placed placed = desk.place(job.value(), event.cargo().value(), event.account(),
                    BidTerms.of(event.terms()), input, relay, Set.copyOf(event.avoid()),
                    event.batchId().hold());
            followed.put(job, new Followed(relay, placed.subscription()));
            tell(new RecordItemBid(event.batchId(), job, placed.outcome().islandId(), clock.instant()));
        } catch (OpenAiException refused) {
            if (refused.status() == HttpStatus.SERVICE_UNAVAILABLE || refused.code().equals("duplicate_job")) {
                // the bid outlived the desk's wait, or went in before a restart: its end comes as events
                followed.put(job, new Followed(relay, bridge.streams().subscribe(job.value(), relay)));
                tell(new RecordItemBid(event.batchId(), job, null, clock.instant()));
            } else {
                tell(new FailItem(event.batchId(), job, null, refused.getMessage(), false, clock.instant()));
            }
        } catch (InputTooLarge refused) {
            // the same input would be refused on every attempt
            tell(new FailItem(event.batchId(), job, null, refused.getMessage(), false, clock.instant()));
        }
    }

    @EventHandler
    void on(JobPlaced event) {
        ofBatch(event.jobId(), batch -> new RecordItemPlaced(batch, event.jobId(), event.islandId(), clock.instant()));
    }

    @EventHandler
    void on(JobReassigned event) {
        ofBatch(event.jobId(), batch -> new RecordItemReassigned(batch, event.jobId(), event.islandId(),
                clock.instant()));
    }

    @EventHandler
    void on(JobCompleted event) {
        ofBatch(event.jobId(), batch -> new CompleteItem(batch, event.jobId(), event.islandId(), event.units(),
                event.charged(), output(event.jobId()), clock.instant()));
    }

    @EventHandler
    void on(JobFailed event) {
        ofBatch(event.jobId(), batch -> {
            unfollow(event.jobId());
            return new FailItem(batch, event.jobId(), event.islandId(), event.reason(), true, clock.instant());
        });
    }

    @EventHandler
    void on(BidExpired event) {
        ofBatch(event.jobId(), batch -> {
            unfollow(event.jobId());
            return new FailItem(batch, event.jobId(), null, EXPIRED, true, clock.instant());
        });
    }

    /** Tells the batch that {@code job} would be an attempt of, if any, what {@code report} says of it. */
    private void ofBatch(JobId job, Function<BatchId, Object> report) {
        BatchId.ofJob(job).ifPresent(batch -> tell(report.apply(batch)));
    }

    private void tell(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException unknown) {
            // a job named like a batch's whose batch the event store does not hold: nothing to tell
            LOG.debug("no batch for {}", command);
        }
    }

    /** The whole output of {@code job} as this node gathered it; null when it did not reach this node. */
    private @Nullable String output(JobId job) {
        Followed gathered = followed.get(job);
        if (gathered == null) {
            return null;
        }
        try {
            return gathered.relay().finished().get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException lost) {
            return null;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            unfollow(job);
        }
    }

    private @Nullable Followed unfollow(JobId job) {
        Followed gathered = followed.remove(job);
        if (gathered != null) {
            gathered.subscription().close();
        }
        return gathered;
    }

    /** Chat text, or, on an embeddings Cargo, the vectors as {@code /v1/embeddings} answers them. */
    private ItemOutput output(ItemAttempted event, ObjectNode input) {
        if (!embeddings.isEmbeddings(event.cargo().value())) {
            return new ItemRelay();
        }
        ObjectNode request = input.deepCopy().put("model", event.cargo().value());
        return new EmbeddingItemRelay(new EmbeddingRelay(json, EmbeddingsRequest.of(request),
                embeddings.dimensions(event.cargo().value()), desk.bidTtl()));
    }

    private ObjectNode input(String input) {
        try {
            return (ObjectNode) json.readTree(input);
        } catch (JsonProcessingException | ClassCastException unreadable) {
            throw new IllegalStateException("a batch input is a JSON object, as the door stored it", unreadable);
        }
    }
}
