package io.archipelago.projections.rebuild;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fresh tables a rebuild writes, in schema {@value #SCHEMA}: one per read model table, shaped like it (columns,
 * defaults, checks, keys and indexes), empty. The projections write them unchanged, through a search path that puts
 * this schema first. {@link #swap} puts them in place of the live tables in the caller's transaction: the live ones
 * are dropped, the fresh ones move into {@code public} and take the live ones' constraint and index names (later
 * migrations name them), and the foreign keys between read model tables are added again ({@code LIKE} copies none).
 */
final class ShadowTables {

    static final String SCHEMA = "read_model_rebuild";

    /** Every table of the {@code projections} processor's read models: what their reset handlers empty. */
    static final List<String> READ_MODELS = List.of("job_view", "account_balance_view", "bid_preferences_view",
            "market_view", "market_ask", "market_resting_bid", "market_candle", "cargo_usage", "market_rate",
            "island_view", "karma_history", "payout_view", "cache_hit_view", "rollout_view", "rollout_variant_view",
            "rollout_decision_view", "registry_publisher", "registry_publisher_key", "registry_tier_change",
            "registry_cargo_stream",
            "registry_version", "registry_job", "registry_review", "workflow_view", "workflow_step_view",
            "workflow_progress", "batch_view", "batch_item_view", "batch_progress");

    private final JdbcTemplate jdbc;

    ShadowTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Empty fresh tables, replacing those a failed rebuild may have left. */
    void create() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        jdbc.execute("CREATE SCHEMA " + SCHEMA);
        for (String table : READ_MODELS) {
            jdbc.execute("CREATE TABLE " + SCHEMA + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
        }
    }

    /** What the statements of a transaction writing the fresh tables run first. */
    static String searchPath() {
        return "SET LOCAL search_path TO " + SCHEMA + ", public";
    }

    void drop() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    /** Puts the fresh tables in place of the live ones; run it inside the transaction that moves the tokens. */
    void swap() {
        Map<String, List<Named>> constraints = new HashMap<>();
        Map<String, List<Named>> indexes = new HashMap<>();
        List<String> foreignKeys = new ArrayList<>();
        for (String table : READ_MODELS) {
            constraints.put(table, constraints("public", table));
            indexes.put(table, indexes("public", table));
            jdbc.query("""
                    SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
                    WHERE conrelid = ?::regclass AND contype = 'f'""", row -> {
                foreignKeys.add("ALTER TABLE public." + table + " ADD CONSTRAINT " + row.getString("conname") + " "
                        + row.getString("definition"));
            }, "public." + table);
        }
        // views over the read models (the analysts' stable interface) would stop the drop: they go and come back
        List<View> views = views();
        for (int i = views.size() - 1; i >= 0; i--) {
            jdbc.execute("DROP VIEW public." + views.get(i).name());
        }
        jdbc.execute("DROP TABLE " + String.join(", ", READ_MODELS.stream().map(table -> "public." + table)
                .toList()));
        for (String table : READ_MODELS) {
            jdbc.execute("ALTER TABLE " + SCHEMA + "." + table + " SET SCHEMA public");
            for (Named fresh : constraints("public", table)) {
                constraints.get(table).stream().filter(live -> live.definition().equals(fresh.definition()))
                        .findFirst().filter(live -> !live.name().equals(fresh.name()))
                        .ifPresent(live -> jdbc.execute("ALTER TABLE public." + table + " RENAME CONSTRAINT "
                                + fresh.name() + " TO " + live.name()));
            }
            for (Named fresh : indexes("public", table)) {
                indexes.get(table).stream().filter(live -> live.definition().equals(fresh.definition()))
                        .findFirst().filter(live -> !live.name().equals(fresh.name()))
                        .ifPresent(live -> jdbc.execute("ALTER INDEX public." + fresh.name() + " RENAME TO "
                                + live.name()));
            }
        }
        foreignKeys.forEach(jdbc::execute);
        for (View view : views) {
            jdbc.execute("CREATE VIEW public." + view.name() + " AS " + view.definition());
            if (view.comment() != null) {
                jdbc.execute("COMMENT ON VIEW public." + view.name() + " IS '" + view.comment().replace("'", "''")
                        + "'");
            }
        }
        drop();
    }

    /** A view of schema {@code public}: its definition as PostgreSQL prints it, and its comment. */
    private record View(String name, String definition, @Nullable String comment) {
    }

    /** Every view of schema {@code public}, oldest first, so that a view on another view comes after it. */
    private List<View> views() {
        return jdbc.query("""
                SELECT c.relname AS name, pg_get_viewdef(c.oid) AS definition,
                       obj_description(c.oid, 'pg_class') AS comment
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'v'
                ORDER BY c.oid""", (row, n) -> new View(row.getString("name"), row.getString("definition"),
                row.getString("comment")));
    }

    /** A constraint or index by name, with its definition without the name. */
    private record Named(String name, String definition) {
    }

    private List<Named> constraints(String schema, String table) {
        return jdbc.query("""
                SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
                WHERE conrelid = ?::regclass AND contype <> 'f' ORDER BY conname""",
                (row, n) -> new Named(row.getString("conname"), row.getString("definition")), schema + "." + table);
    }

    /** Indexes no constraint owns (those follow their constraint's name). */
    private List<Named> indexes(String schema, String table) {
        return jdbc.query("""
                SELECT c.relname, pg_get_indexdef(i.indexrelid) AS definition
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = ?::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                                  WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
                ORDER BY c.relname""", (row, n) -> {
                    String name = row.getString("relname");
                    // "CREATE INDEX name ON schema.table USING ...": compare what follows the table
                    String definition = row.getString("definition");
                    return new Named(name, definition.substring(definition.indexOf(" USING ")));
                }, schema + "." + table);
    }
}
