package io.archipelago.coordinator.openai;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The saved workflow templates in {@code workflow_template}, each its account's own. */
@Component
final class WorkflowTemplates {

    private final JdbcClient jdbc;

    WorkflowTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One template: its name, the body it was saved with (JSON text) and when. */
    record Template(String name, String body, Instant createdAt) {
    }

    /** Saves a template unless the account has one of that name; whether it did. */
    boolean save(String account, String name, String body, Instant at) {
        return jdbc.sql("""
                INSERT INTO workflow_template (account_id, name, body, created_at) VALUES (:account, :name, :body, :at)
                ON CONFLICT (account_id, name) DO NOTHING""")
                .param("account", account)
                .param("name", name)
                .param("body", body)
                .param("at", at.atOffset(ZoneOffset.UTC))
                .update() > 0;
    }

    Optional<Template> find(String account, String name) {
        return jdbc.sql("SELECT name, body, created_at FROM workflow_template WHERE account_id = :account "
                        + "AND name = :name")
                .param("account", account)
                .param("name", name)
                .query((row, number) -> new Template(row.getString("name"), row.getString("body"),
                        row.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    List<Template> list(String account) {
        return jdbc.sql("SELECT name, body, created_at FROM workflow_template WHERE account_id = :account "
                        + "ORDER BY name")
                .param("account", account)
                .query((row, number) -> new Template(row.getString("name"), row.getString("body"),
                        row.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }
}
