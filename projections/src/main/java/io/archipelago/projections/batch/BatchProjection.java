package io.archipelago.projections.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.exchange.batch.api.BatchEnded;
import io.archipelago.exchange.batch.api.BatchId;
import io.archipelago.exchange.batch.api.BatchSubmitted;
import io.archipelago.exchange.batch.api.ItemAttempted;
import io.archipelago.exchange.batch.api.ItemCompleted;
import io.archipelago.exchange.batch.api.ItemFailed;
import io.archipelago.exchange.batch.api.ItemPlaced;
import io.archipelago.exchange.batch.api.ItemReassigned;
import io.archipelago.exchange.batch.api.ItemRetried;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
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
 * Keeps {@code batch_view}, {@code batch_item_view} and {@code batch_progress} from the Batch aggregate's events. A
 * batch's row records the last of its events applied, so a re-delivered event changes nothing; each progress event
 * is numbered by the batch's event sequence, so a batch's progress reads in the order it happened on any node.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class BatchProjection {

    /** Why a completed item has no result. */
    static final String OUTPUT_LOST = "the job completed but its output did not reach the coordinator";

    private final JdbcClient jdbc;
    private final ObjectMapper json = new ObjectMapper();

    BatchProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE batch_progress, batch_item_view, batch_view").update();
    }

    @EventHandler
    void on(BatchSubmitted event, @SequenceNumber long sequence) {
        int inserted = jdbc.sql("""
                INSERT INTO batch_view (batch_id, account_id, model, status, total, completed, failed,
                                        cost_micro_credits, created_at, last_sequence)
                VALUES (:id, :account, :model, 'running', :total, 0, 0, 0, :at, :sequence)
                ON CONFLICT (batch_id) DO NOTHING""")
                .param("id", event.batchId().value())
                .param("account", event.account().value())
                .param("model", event.cargo().value())
                .param("total", event.inputs().size())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
        if (inserted > 0) {
            jdbc.sql("""
                    INSERT INTO batch_item_view (batch_id, item_index, status, attempts, failed_on)
                    SELECT :id, i, 'queued', 0, '' FROM generate_series(0, :total - 1) AS i""")
                    .param("id", event.batchId().value())
                    .param("total", event.inputs().size())
                    .update();
        }
    }

    @EventHandler
    void on(ItemAttempted event, @SequenceNumber long sequence) {
        if (advance(event.batchId(), sequence)) {
            jdbc.sql("""
                    UPDATE batch_item_view SET status = 'placing', job_id = :job, attempts = :attempt,
                           island_id = NULL
                    WHERE batch_id = :id AND item_index = :index""")
                    .param("job", event.jobId().value())
                    .param("attempt", event.attempt())
                    .param("id", event.batchId().value())
                    .param("index", event.index())
                    .update();
        }
    }

    @EventHandler
    void on(ItemPlaced event, @SequenceNumber long sequence) {
        if (advance(event.batchId(), sequence)) {
            item(event.batchId(), event.index(), "running", event.islandId(), null, null);
            progress(event.batchId(), sequence, "item_started", item(event.batchId(), event.index(), event.jobId(),
                    event.attempt()).put("island", event.islandId().value()), event.at());
        }
    }

    @EventHandler
    void on(ItemReassigned event, @SequenceNumber long sequence) {
        if (advance(event.batchId(), sequence)) {
            item(event.batchId(), event.index(), "placing", null, event.islandId(), null);
        }
    }

    @EventHandler
    void on(ItemCompleted event, @SequenceNumber long sequence) {
        if (!advance(event.batchId(), sequence)) {
            return;
        }
        jdbc.sql("""
                UPDATE batch_item_view SET status = 'completed', island_id = :island, units = :units,
                       cost_micro_credits = :cost, result = :result, reason = :reason
                WHERE batch_id = :id AND item_index = :index""")
                .param("island", event.islandId().value())
                .param("units", event.units())
                .param("cost", event.cost().value())
                .param("result", event.result())
                .param("reason", event.result() == null ? OUTPUT_LOST : null)
                .param("id", event.batchId().value())
                .param("index", event.index())
                .update();
        jdbc.sql("""
                UPDATE batch_view SET completed = completed + 1, cost_micro_credits = cost_micro_credits + :cost
                WHERE batch_id = :id""")
                .param("cost", event.cost().value())
                .param("id", event.batchId().value())
                .update();
        progress(event.batchId(), sequence, "item_completed", item(event.batchId(), event.index(), event.jobId(),
                event.attempt()).put("island", event.islandId().value()).put("units", event.units())
                .put("cost_micro_credits", event.cost().value()), event.at());
    }

    @EventHandler
    void on(ItemRetried event, @SequenceNumber long sequence) {
        if (!advance(event.batchId(), sequence)) {
            return;
        }
        jdbc.sql("""
                UPDATE batch_item_view SET status = 'queued', reason = :reason, failed_on = :failedOn
                WHERE batch_id = :id AND item_index = :index""")
                .param("reason", event.reason())
                .param("failedOn", event.avoiding().stream().map(IslandId::value).collect(Collectors.joining(",")))
                .param("id", event.batchId().value())
                .param("index", event.index())
                .update();
        ObjectNode data = item(event.batchId(), event.index(), event.jobId(), event.attempt())
                .put("reason", event.reason()).put("next_attempt", event.attempt() + 1)
                .put("island", island(event.islandId()));
        ArrayNode avoiding = data.putArray("avoiding");
        event.avoiding().forEach(island -> avoiding.add(island.value()));
        progress(event.batchId(), sequence, "item_retried", data, event.at());
    }

    @EventHandler
    void on(ItemFailed event, @SequenceNumber long sequence) {
        if (!advance(event.batchId(), sequence)) {
            return;
        }
        item(event.batchId(), event.index(), "failed", null, event.islandId(), event.reason());
        jdbc.sql("UPDATE batch_view SET failed = failed + 1 WHERE batch_id = :id")
                .param("id", event.batchId().value())
                .update();
        progress(event.batchId(), sequence, "item_failed", item(event.batchId(), event.index(), event.jobId(),
                event.attempt()).put("reason", event.reason()).put("island", island(event.islandId())), event.at());
    }

    @EventHandler
    void on(BatchEnded event, @SequenceNumber long sequence) {
        if (!advance(event.batchId(), sequence)) {
            return;
        }
        String status = event.status().name().toLowerCase(Locale.ROOT);
        jdbc.sql("UPDATE batch_view SET status = :status, finished_at = :at WHERE batch_id = :id")
                .param("status", status)
                .param("at", utc(event.at()))
                .param("id", event.batchId().value())
                .update();
        progress(event.batchId(), sequence, BatchProgressView.LAST, json.createObjectNode()
                .put("batch", event.batchId().value()).put("status", status).put("total", event.total())
                .put("completed", event.completed()).put("failed", event.failed())
                .put("cost_micro_credits", event.cost().value()), event.at());
    }

    /** Whether the batch's event {@code sequence} is news to its row, which then records it. */
    private boolean advance(BatchId batch, long sequence) {
        return jdbc.sql("UPDATE batch_view SET last_sequence = :sequence WHERE batch_id = :id "
                        + "AND last_sequence < :sequence")
                .param("sequence", sequence)
                .param("id", batch.value())
                .update() > 0;
    }

    /**
     * Sets an item's {@code status}; its Island to {@code island} when given; adds {@code failedOn} to the Islands
     * that failed or lost it, once; and its reason when given.
     */
    private void item(BatchId batch, int index, String status, @Nullable IslandId island,
                      @Nullable IslandId failedOn, @Nullable String reason) {
        jdbc.sql("""
                UPDATE batch_item_view SET status = :status,
                       island_id = coalesce(CAST(:island AS text), island_id),
                       reason = coalesce(CAST(:reason AS text), reason),
                       failed_on = CASE WHEN CAST(:failedOn AS text) IS NULL
                                             OR CAST(:failedOn AS text) = ANY (string_to_array(failed_on, ','))
                                        THEN failed_on
                                        WHEN failed_on = '' THEN CAST(:failedOn AS text)
                                        ELSE failed_on || ',' || CAST(:failedOn AS text) END
                WHERE batch_id = :id AND item_index = :index""")
                .param("status", status)
                .param("island", island(island))
                .param("reason", reason)
                .param("failedOn", island(failedOn))
                .param("id", batch.value())
                .param("index", index)
                .update();
    }

    private ObjectNode item(BatchId batch, int index, JobId job, int attempt) {
        return json.createObjectNode().put("batch", batch.value()).put("index", index).put("job_id", job.value())
                .put("attempt", attempt);
    }

    private void progress(BatchId batch, long sequence, String type, ObjectNode data, Instant at) {
        jdbc.sql("""
                INSERT INTO batch_progress (batch_id, seq, type, data, at) VALUES (:id, :seq, :type, :data, :at)
                ON CONFLICT (batch_id, seq) DO NOTHING""")
                .param("id", batch.value())
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
