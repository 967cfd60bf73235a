package io.archipelago.projections;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link RowChange}: while a rebuild's worker runs the handler, to the row it holds in memory
 * ({@link RowMemory}, written once at the end of the rebuild); otherwise as one SQL statement on the live table,
 * through {@link ReadModelWrites} (deferred to the unit of work's commit while replaying).
 */
public final class RowFolds {

    private final ReadModelWrites writes;

    public RowFolds(ReadModelWrites writes) {
        this.writes = writes;
    }

    public void apply(RowChange change) {
        var memory = RebuildMemory.current();
        if (memory.isPresent()) {
            memory.get().state(RowMemory.class, RowMemory::new).apply(change);
            return;
        }
        ReadModelWrites.Statement statement = writes.row(change.table(), change.keyValues()).sql(sql(change));
        change.key().forEach((column, value) -> statement.param("k_" + column, value));
        change.values().forEach((column, value) -> {
            if (value != null) {
                statement.param("v_" + column, value);
            }
        });
        change.assignments().forEach((column, assignment) -> {
            if (assignment.value() != null) {
                statement.param("a_" + column, assignment.value());
            }
        });
        statement.param("sequence", change.sequence()).update();
    }

    /**
     * The statement of a change: its text depends only on the change's shape, columns and which values are null
     * (written as {@code NULL}, which takes its column's type).
     */
    static String sql(RowChange change) {
        String table = change.table();
        List<String> keys = List.copyOf(change.key().keySet());
        return switch (change.shape()) {
            case INSERT -> insert(change, keys) + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING";
            case UPDATE -> "UPDATE " + table + " r SET " + assignments(change) + " WHERE "
                    + String.join(" AND ", keys.stream().map(key -> "r." + key + " = :k_" + key).toList())
                    + " AND r.last_sequence < :sequence";
            case UPSERT -> insert(change, keys) + " ON CONFLICT (" + String.join(", ", keys) + ") DO UPDATE SET "
                    + assignments(change) + " WHERE r.last_sequence < :sequence";
        };
    }

    private static String insert(RowChange change, List<String> keys) {
        List<String> columns = new ArrayList<>();
        List<String> params = new ArrayList<>();
        keys.forEach(key -> {
            columns.add(key);
            params.add(":k_" + key);
        });
        change.values().forEach((column, value) -> {
            columns.add(column);
            params.add(value == null ? "NULL" : ":v_" + column);
        });
        if (change.shape() == RowChange.Shape.UPSERT) {
            columns.add("last_sequence");
            params.add(":sequence");
        }
        return "INSERT INTO " + change.table() + " AS r (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", params) + ")";
    }

    private static String assignments(RowChange change) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, RowChange.Assignment> entry : change.assignments().entrySet()) {
            String column = entry.getKey();
            String param = ":a_" + column;
            parts.add(column + " = " + switch (entry.getValue().operation()) {
                case SET -> entry.getValue().value() == null ? "NULL" : param;
                case ADD -> "r." + column + " + " + param;
                case MAX -> "greatest(r." + column + ", " + param + ")";
                case MIN -> "least(r." + column + ", " + param + ")";
                case COALESCE -> "COALESCE(r." + column + ", " + param + ")";
                case ADD_MILLIS_SINCE -> "r." + column + " + COALESCE(CAST(EXTRACT(EPOCH FROM (" + param + " - r."
                        + entry.getValue().other() + ")) * 1000 AS BIGINT), 0)";
            });
        }
        parts.add("last_sequence = :sequence");
        return String.join(", ", parts);
    }
}
