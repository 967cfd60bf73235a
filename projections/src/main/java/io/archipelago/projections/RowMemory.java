package io.archipelago.projections;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rows a rebuild's worker folds {@link RowChange}s into, by table and key, for the whole rebuild; written at its
 * end with multi-row inserts (a row names only the columns some change gave it: the others take their defaults, as
 * the live statements leave them). The same rules as {@link RowFolds}' statements: an update applies only to a row
 * that is there and has not applied the event's sequence.
 */
final class RowMemory implements RebuildMemory.State {

    private final Map<String, Map<List<Object>, Map<String, @Nullable Object>>> tables = new LinkedHashMap<>();

    void apply(RowChange change) {
        Map<List<Object>, Map<String, @Nullable Object>> rows = tables.computeIfAbsent(change.table(),
                table -> new HashMap<>());
        List<Object> key = change.keyValues();
        Map<String, @Nullable Object> row = rows.get(key);
        if (row == null) {
            if (change.shape() == RowChange.Shape.UPDATE) {
                return;
            }
            row = new LinkedHashMap<>(change.key());
            row.putAll(change.values());
            if (change.shape() == RowChange.Shape.UPSERT) {
                row.put("last_sequence", change.sequence());
            }
            rows.put(key, row);
            return;
        }
        if (change.shape() == RowChange.Shape.INSERT || ((Number) row.get("last_sequence")).longValue()
                >= change.sequence()) {
            return;
        }
        for (Map.Entry<String, RowChange.Assignment> entry : change.assignments().entrySet()) {
            String column = entry.getKey();
            Object value = entry.getValue().value();
            Object current = row.get(column);
            row.put(column, switch (entry.getValue().operation()) {
                case SET -> value;
                case ADD -> ((Number) current).longValue() + ((Number) value).longValue();
                case MAX -> Math.max(((Number) current).longValue(), ((Number) value).longValue());
                case MIN -> Math.min(((Number) current).longValue(), ((Number) value).longValue());
            });
        }
        row.put("last_sequence", change.sequence());
    }

    @Override
    public void write(JdbcTemplate jdbc) {
        tables.forEach((table, rows) -> {
            Map<List<String>, List<Object[]>> byColumns = new LinkedHashMap<>();
            for (Map<String, @Nullable Object> row : rows.values()) {
                byColumns.computeIfAbsent(List.copyOf(row.keySet()), columns -> new ArrayList<>())
                        .add(row.values().toArray());
            }
            byColumns.forEach((columns, values) -> MultiRowInsert.insert(jdbc, table, columns, values));
        });
        tables.clear();
    }
}
