package io.archipelago.projections;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
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
        // every assignment reads the row as it was: compute them all, then write them
        @Nullable Object[] after = new Object[change.assignments().size()];
        int next = 0;
        for (Map.Entry<String, RowChange.Assignment> entry : change.assignments().entrySet()) {
            after[next++] = assigned(row.get(entry.getKey()), entry.getValue(), row);
        }
        next = 0;
        for (String column : change.assignments().keySet()) {
            row.put(column, after[next++]);
        }
        row.put("last_sequence", change.sequence());
    }

    private static @Nullable Object assigned(@Nullable Object current, RowChange.Assignment assignment,
                                             Map<String, @Nullable Object> row) {
        Object value = assignment.value();
        return switch (assignment.operation()) {
            case SET -> value;
            case ADD -> ((Number) current).longValue() + ((Number) value).longValue();
            case MAX -> Math.max(((Number) current).longValue(), ((Number) value).longValue());
            case MIN -> Math.min(((Number) current).longValue(), ((Number) value).longValue());
            case COALESCE -> current == null ? value : current;
            case ADD_MILLIS_SINCE -> ((Number) current).longValue()
                    + millisBetween((OffsetDateTime) row.get(assignment.other()), (OffsetDateTime) value);
        };
    }

    /**
     * What PostgreSQL's {@code CAST(EXTRACT(EPOCH FROM (to - since)) * 1000 AS BIGINT)} gives: the interval in
     * microseconds (the columns' precision), as milliseconds rounded half away from zero; 0 without {@code since}.
     */
    private static long millisBetween(@Nullable OffsetDateTime since, OffsetDateTime to) {
        if (since == null) {
            return 0;
        }
        long micros = ChronoUnit.MICROS.between(micros(since), micros(to));
        return micros >= 0 ? (micros + 500) / 1000 : -((-micros + 500) / 1000);
    }

    /** A time as PostgreSQL keeps it: to the microsecond, rounded as the driver sends it. */
    private static OffsetDateTime micros(OffsetDateTime at) {
        return at.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
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
