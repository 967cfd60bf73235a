package io.archipelago.projections.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.workflow.api.StepAttempted;
import io.archipelago.exchange.workflow.api.StepCancelled;
import io.archipelago.exchange.workflow.api.StepCompleted;
import io.archipelago.exchange.workflow.api.StepFailed;
import io.archipelago.exchange.workflow.api.StepPlaced;
import io.archipelago.exchange.workflow.api.StepReassigned;
import io.archipelago.exchange.workflow.api.StepRetried;
import io.archipelago.exchange.workflow.api.StepSpec;
import io.archipelago.exchange.workflow.api.WorkflowEnded;
import io.archipelago.exchange.workflow.api.WorkflowId;
import io.archipelago.exchange.workflow.api.WorkflowSubmitted;
import io.archipelago.projections.ProjectionsConfiguration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code workflow_view}, {@code workflow_step_view} and {@code workflow_progress} from the Workflow aggregate's
 * events. A workflow's row records the last of its events applied, so a re-delivered event changes nothing; each
 * progress event is numbered by the workflow's event sequence, so its progress reads in the order it happened on any
 * node.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class WorkflowProjection {

    private final JdbcClient jdbc;
    private final ObjectMapper json = new ObjectMapper();

    WorkflowProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE workflow_progress, workflow_step_view, workflow_view").update();
    }

    @EventHandler
    void on(WorkflowSubmitted event, @SequenceNumber long sequence) {
        int inserted = jdbc.sql("""
                INSERT INTO workflow_view (workflow_id, account_id, status, fail_mode, total, completed, failed,
                                           cancelled, cost_micro_credits, created_at, last_sequence)
                VALUES (:id, :account, 'running', :mode, :total, 0, 0, 0, 0, :at, :sequence)
                ON CONFLICT (workflow_id) DO NOTHING""")
                .param("id", event.workflowId().value())
                .param("account", event.account().value())
                .param("mode", event.failMode().name().toLowerCase(Locale.ROOT))
                .param("total", event.steps().size())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
        if (inserted == 0) {
            return;
        }
        for (int index = 0; index < event.steps().size(); index++) {
            StepSpec step = event.steps().get(index);
            jdbc.sql("""
                    INSERT INTO workflow_step_view (workflow_id, step_index, step_key, model, depends_on, status,
                                                    attempts, cost_micro_credits, failed_on)
                    VALUES (:id, :index, :key, :model, :dependsOn, 'waiting', 0, 0, '')""")
                    .param("id", event.workflowId().value())
                    .param("index", index)
                    .param("key", step.key())
                    .param("model", step.cargo().value())
                    .param("dependsOn", String.join(",", step.dependsOn()))
                    .update();
        }
    }

    @EventHandler
    void on(StepAttempted event, @SequenceNumber long sequence) {
        if (advance(event.workflowId(), sequence)) {
            jdbc.sql("""
                    UPDATE workflow_step_view SET status = 'placing', job_id = :job, attempts = :attempt,
                           island_id = NULL
                    WHERE workflow_id = :id AND step_index = :index""")
                    .param("job", event.jobId().value())
                    .param("attempt", event.attempt())
                    .param("id", event.workflowId().value())
                    .param("index", event.index())
                    .update();
        }
    }

    @EventHandler
    void on(StepPlaced event, @SequenceNumber long sequence) {
        if (advance(event.workflowId(), sequence)) {
            step(event.workflowId(), event.index(), "running", event.islandId(), null, null);
            progress(event.workflowId(), sequence, "step_started", step(event.workflowId(), event.key(),
                    event.jobId(), event.attempt()).put("island", event.islandId().value()), event.at());
        }
    }

    @EventHandler
    void on(StepReassigned event, @SequenceNumber long sequence) {
        if (advance(event.workflowId(), sequence)) {
            step(event.workflowId(), event.index(), "placing", null, event.islandId(), null);
        }
    }

    @EventHandler
    void on(StepCompleted event, @SequenceNumber long sequence) {
        if (!advance(event.workflowId(), sequence)) {
            return;
        }
        jdbc.sql("""
                UPDATE workflow_step_view SET status = 'completed', island_id = :island, units = :units,
                       cost_micro_credits = cost_micro_credits + :cost, output = :output, reason = NULL
                WHERE workflow_id = :id AND step_index = :index""")
                .param("island", event.islandId().value())
                .param("units", event.units())
                .param("cost", event.cost().value())
                .param("output", event.output())
                .param("id", event.workflowId().value())
                .param("index", event.index())
                .update();
        jdbc.sql("""
                UPDATE workflow_view SET completed = completed + 1, cost_micro_credits = cost_micro_credits + :cost
                WHERE workflow_id = :id""")
                .param("cost", event.cost().value())
                .param("id", event.workflowId().value())
                .update();
        progress(event.workflowId(), sequence, "step_completed", step(event.workflowId(), event.key(),
                event.jobId(), event.attempt()).put("island", event.islandId().value()).put("units", event.units())
                .put("cost_micro_credits", event.cost().value()), event.at());
    }

    @EventHandler
    void on(StepRetried event, @SequenceNumber long sequence) {
        if (!advance(event.workflowId(), sequence)) {
            return;
        }
        jdbc.sql("""
                UPDATE workflow_step_view SET status = 'queued', reason = :reason, failed_on = :failedOn,
                       cost_micro_credits = cost_micro_credits + :cost
                WHERE workflow_id = :id AND step_index = :index""")
                .param("reason", event.reason())
                .param("failedOn", event.avoiding().stream().map(IslandId::value).collect(Collectors.joining(",")))
                .param("cost", event.cost().value())
                .param("id", event.workflowId().value())
                .param("index", event.index())
                .update();
        cost(event.workflowId(), event.cost().value());
        ObjectNode data = step(event.workflowId(), event.key(), event.jobId(), event.attempt())
                .put("reason", event.reason()).put("next_attempt", event.attempt() + 1)
                .put("island", island(event.islandId()));
        ArrayNode avoiding = data.putArray("avoiding");
        event.avoiding().forEach(island -> avoiding.add(island.value()));
        progress(event.workflowId(), sequence, "step_retried", data, event.at());
    }

    @EventHandler
    void on(StepFailed event, @SequenceNumber long sequence) {
        if (!advance(event.workflowId(), sequence)) {
            return;
        }
        step(event.workflowId(), event.index(), "failed", null, event.islandId(), event.reason());
        jdbc.sql("UPDATE workflow_step_view SET cost_micro_credits = cost_micro_credits + :cost "
                        + "WHERE workflow_id = :id AND step_index = :index")
                .param("cost", event.cost().value())
                .param("id", event.workflowId().value())
                .param("index", event.index())
                .update();
        jdbc.sql("UPDATE workflow_view SET failed = failed + 1 WHERE workflow_id = :id")
                .param("id", event.workflowId().value())
                .update();
        cost(event.workflowId(), event.cost().value());
        progress(event.workflowId(), sequence, "step_failed", step(event.workflowId(), event.key(), event.jobId(),
                event.attempt()).put("reason", event.reason()).put("island", island(event.islandId())), event.at());
    }

    @EventHandler
    void on(StepCancelled event, @SequenceNumber long sequence) {
        if (!advance(event.workflowId(), sequence)) {
            return;
        }
        step(event.workflowId(), event.index(), "cancelled", null, null, event.reason());
        jdbc.sql("UPDATE workflow_view SET cancelled = cancelled + 1 WHERE workflow_id = :id")
                .param("id", event.workflowId().value())
                .update();
        progress(event.workflowId(), sequence, "step_cancelled", json.createObjectNode()
                .put("workflow", event.workflowId().value()).put("step", event.key())
                .put("job_id", event.jobId() == null ? null : event.jobId().value()).put("reason", event.reason()),
                event.at());
    }

    @EventHandler
    void on(WorkflowEnded event, @SequenceNumber long sequence) {
        if (!advance(event.workflowId(), sequence)) {
            return;
        }
        String status = event.status().name().toLowerCase(Locale.ROOT);
        jdbc.sql("UPDATE workflow_view SET status = :status, finished_at = :at WHERE workflow_id = :id")
                .param("status", status)
                .param("at", utc(event.at()))
                .param("id", event.workflowId().value())
                .update();
        progress(event.workflowId(), sequence, WorkflowProgressView.LAST, json.createObjectNode()
                .put("workflow", event.workflowId().value()).put("status", status).put("total", event.total())
                .put("completed", event.completed()).put("failed", event.failed())
                .put("cancelled", event.cancelled()).put("cost_micro_credits", event.cost().value()), event.at());
    }

    /** Whether the workflow's event {@code sequence} is news to its row, which then records it. */
    private boolean advance(WorkflowId workflow, long sequence) {
        return jdbc.sql("UPDATE workflow_view SET last_sequence = :sequence WHERE workflow_id = :id "
                        + "AND last_sequence < :sequence")
                .param("sequence", sequence)
                .param("id", workflow.value())
                .update() > 0;
    }

    private void cost(WorkflowId workflow, long cost) {
        if (cost != 0) {
            jdbc.sql("UPDATE workflow_view SET cost_micro_credits = cost_micro_credits + :cost WHERE workflow_id = :id")
                    .param("cost", cost)
                    .param("id", workflow.value())
                    .update();
        }
    }

    /**
     * Sets a step's {@code status}; its Island to {@code island} when given; adds {@code failedOn} to the Islands
     * that failed or lost it, once; and its reason when given.
     */
    private void step(WorkflowId workflow, int index, String status, @Nullable IslandId island,
                      @Nullable IslandId failedOn, @Nullable String reason) {
        jdbc.sql("""
                UPDATE workflow_step_view SET status = :status,
                       island_id = coalesce(CAST(:island AS text), island_id),
                       reason = coalesce(CAST(:reason AS text), reason),
                       failed_on = CASE WHEN CAST(:failedOn AS text) IS NULL
                                             OR CAST(:failedOn AS text) = ANY (string_to_array(failed_on, ','))
                                        THEN failed_on
                                        WHEN failed_on = '' THEN CAST(:failedOn AS text)
                                        ELSE failed_on || ',' || CAST(:failedOn AS text) END
                WHERE workflow_id = :id AND step_index = :index""")
                .param("status", status)
                .param("island", island(island))
                .param("reason", reason)
                .param("failedOn", island(failedOn))
                .param("id", workflow.value())
                .param("index", index)
                .update();
    }

    private ObjectNode step(WorkflowId workflow, String key, JobId job, int attempt) {
        return json.createObjectNode().put("workflow", workflow.value()).put("step", key).put("job_id", job.value())
                .put("attempt", attempt);
    }

    private void progress(WorkflowId workflow, long sequence, String type, ObjectNode data, Instant at) {
        jdbc.sql("""
                INSERT INTO workflow_progress (workflow_id, seq, type, data, at)
                VALUES (:id, :seq, :type, :data, :at)
                ON CONFLICT (workflow_id, seq) DO NOTHING""")
                .param("id", workflow.value())
                .param("seq", sequence)
                .param("type", type)
                .param("data", data.toString())
                .param("at", utc(at))
                .update();
    }

    private static @Nullable String island(@Nullable IslandId island) {
        return island == null ? null : island.value();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
