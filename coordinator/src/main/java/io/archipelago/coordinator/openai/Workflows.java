package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.InputTooLarge;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.workflow.Workflow;
import io.archipelago.exchange.workflow.api.CompleteStep;
import io.archipelago.exchange.workflow.api.FailStep;
import io.archipelago.exchange.workflow.api.RecordStepBid;
import io.archipelago.exchange.workflow.api.RecordStepPlaced;
import io.archipelago.exchange.workflow.api.RecordStepReassigned;
import io.archipelago.exchange.workflow.api.StepAttempted;
import io.archipelago.exchange.workflow.api.StepCancelled;
import io.archipelago.exchange.workflow.api.WorkflowId;
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
 * Drives workflows ({@link Workflow}) as {@link Batches} drives batches: places each attempt a workflow asks for
 * ({@link StepAttempted}, its input already rendered from the outputs of the steps it depends on) through the
 * {@link JobDesk} as a job of its own, cancels on its market each step the workflow cancelled, and tells the workflow
 * what the market did with its jobs. A completed step's output goes into the workflow's own event
 * ({@code StepCompleted}), so its dependants render it after any restart, on any node. Its processor
 * ({@link WorkflowConfiguration}) is one tracking thread whose token lives in PostgreSQL: one node drives the
 * workflows, and a restart or another node resumes where it stopped. The output of a step's job is gathered on the
 * node that placed it; a job whose stream that node no longer holds completes without it, and a step whose output
 * another needs is then run again.
 */
@Component
@ProcessingGroup(Workflows.PROCESSING_GROUP)
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class Workflows {

    static final String PROCESSING_GROUP = "workflows";

    private static final Logger LOG = LoggerFactory.getLogger(Workflows.class);
    /** How long the completion of a settled job waits for the last of its output before it is taken as it is. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(30);

    private final JobDesk desk;
    private final IslandBridge bridge;
    private final CommandGateway commands;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<JobId, Followed> followed = new ConcurrentHashMap<>();

    Workflows(JobDesk desk, IslandBridge bridge, CommandGateway commands, ObjectMapper json, Clock clock) {
        this.desk = desk;
        this.bridge = bridge;
        this.commands = commands;
        this.json = json;
        this.clock = clock;
    }

    /** A step's job whose output this node gathers. */
    private record Followed(ItemRelay relay, StreamSubscription subscription) {
    }

    @EventHandler
    void on(StepAttempted event) {
        JobId job = event.jobId();
        ObjectNode input = input(event.input());
        if (input == null) {
            tell(new FailStep(event.workflowId(), job, null, "the step's rendered input is not a JSON object", false,
                    clock.instant()));
            return;
        }
        ItemRelay relay = new ItemRelay();
        try {
            JobDesk.Placed placed = desk.place(job.value(), event.cargo().value(), event.account(),
                    BidTerms.of(event.terms()), input, relay, Set.copyOf(event.avoid()), event.workflowId().hold());
            followed.put(job, new Followed(relay, placed.subscription()));
            tell(new RecordStepBid(event.workflowId(), job, placed.outcome().islandId(), clock.instant()));
        } catch (OpenAiException refused) {
            if (refused.status() == HttpStatus.SERVICE_UNAVAILABLE || refused.code().equals("duplicate_job")) {
                // the bid outlived the desk's wait, or went in before a restart: its end comes as events
                followed.put(job, new Followed(relay, bridge.streams().subscribe(job.value(), relay)));
                tell(new RecordStepBid(event.workflowId(), job, null, clock.instant()));
            } else {
                tell(new FailStep(event.workflowId(), job, null, refused.getMessage(), false, clock.instant()));
            }
        } catch (InputTooLarge refused) {
            // the same input would be refused on every attempt
            tell(new FailStep(event.workflowId(), job, null, refused.getMessage(), false, clock.instant()));
        }
    }

    @EventHandler
    void on(StepCancelled event) {
        JobId job = event.jobId();
        if (job != null) {
            unfollow(job);
            desk.cancel(event.cargo().value(), job.value(), 0, "workflow step cancelled: " + event.reason());
        }
    }

    @EventHandler
    void on(JobPlaced event) {
        ofWorkflow(event.jobId(), workflow -> new RecordStepPlaced(workflow, event.jobId(), event.islandId(),
                clock.instant()));
    }

    @EventHandler
    void on(JobReassigned event) {
        ofWorkflow(event.jobId(), workflow -> new RecordStepReassigned(workflow, event.jobId(), event.islandId(),
                clock.instant()));
    }

    @EventHandler
    void on(JobCompleted event) {
        ofWorkflow(event.jobId(), workflow -> new CompleteStep(workflow, event.jobId(), event.islandId(),
                event.units(), event.charged(), output(event.jobId()), clock.instant()));
    }

    @EventHandler
    void on(JobFailed event) {
        ofWorkflow(event.jobId(), workflow -> {
            unfollow(event.jobId());
            return new FailStep(workflow, event.jobId(), event.islandId(), event.reason(), true, clock.instant());
        });
    }

    @EventHandler
    void on(BidExpired event) {
        ofWorkflow(event.jobId(), workflow -> {
            unfollow(event.jobId());
            return new FailStep(workflow, event.jobId(), null, Batches.EXPIRED, true, clock.instant());
        });
    }

    /** Tells the workflow that {@code job} would be an attempt of, if any, what {@code report} says of it. */
    private void ofWorkflow(JobId job, Function<WorkflowId, Object> report) {
        WorkflowId.ofJob(job).ifPresent(workflow -> tell(report.apply(workflow)));
    }

    private void tell(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException unknown) {
            // a job named like a workflow's whose workflow the event store does not hold: nothing to tell
            LOG.debug("no workflow for {}", command);
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

    private void unfollow(JobId job) {
        Followed gathered = followed.remove(job);
        if (gathered != null) {
            gathered.subscription().close();
        }
    }

    private @Nullable ObjectNode input(String input) {
        try {
            JsonNode parsed = json.readTree(input);
            return parsed instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException unreadable) {
            return null;
        }
    }
}
