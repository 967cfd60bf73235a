package io.archipelago.projections.workflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code workflow_view}, {@code workflow_step_view} and {@code workflow_progress}. */
@Component
public final class WorkflowViews {

    private final JdbcClient jdbc;

    WorkflowViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The workflow {@code workflowId} if {@code account} owns it: another's is as absent as an unknown one. */
    public Optional<WorkflowView> find(String workflowId, String account) {
        return jdbc.sql("SELECT * FROM workflow_view WHERE workflow_id = :id AND account_id = :account")
                .param("id", workflowId)
                .param("account", account)
                .query((row, number) -> new WorkflowView(row.getString("workflow_id"), row.getString("account_id"),
                        row.getString("status"), row.getString("fail_mode"), row.getInt("total"),
                        row.getInt("completed"), row.getInt("failed"), row.getInt("cancelled"),
                        row.getLong("cost_micro_credits"), instant(row, "created_at"), instant(row, "finished_at"),
                        steps(workflowId)))
                .optional();
    }

    /** The workflow's progress events numbered after {@code afterSeq}, in order. */
    public List<WorkflowProgressView> progress(String workflowId, long afterSeq) {
        return jdbc.sql("SELECT seq, type, data FROM workflow_progress WHERE workflow_id = :id AND seq > :after "
                        + "ORDER BY seq")
                .param("id", workflowId)
                .param("after", afterSeq)
                .query((row, number) -> new WorkflowProgressView(row.getLong("seq"), row.getString("type"),
                        row.getString("data")))
                .list();
    }

    private List<WorkflowStepView> steps(String workflowId) {
        return jdbc.sql("SELECT * FROM workflow_step_view WHERE workflow_id = :id ORDER BY step_index")
                .param("id", workflowId)
                .query((row, number) -> new WorkflowStepView(row.getInt("step_index"), row.getString("step_key"),
                        row.getString("model"), split(row.getString("depends_on")), row.getString("status"),
                        row.getString("job_id"), row.getString("island_id"), row.getInt("attempts"),
                        row.getObject("units", Long.class), row.getLong("cost_micro_credits"),
                        split(row.getString("failed_on")), row.getString("reason"), row.getString("output")))
                .list();
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
