package io.archipelago.projections;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts rows into a table with multi-row {@code INSERT … VALUES (…), (…)} statements of up to {@value #ROWS} rows
 * each: one round trip for many rows, for a rebuild writing its fresh tables. Values are JDBC parameters; a
 * {@code null} that PostgreSQL cannot type alone goes in an {@link org.springframework.jdbc.core.SqlParameterValue}.
 */
public final class MultiRowInsert {

    private static final int ROWS = 500;

    private MultiRowInsert() {
    }

    /** Inserts {@code rows} (one value per column, in the order of {@code columns}) into {@code table}. */
    public static void insert(JdbcTemplate jdbc, String table, List<String> columns, List<Object[]> rows) {
        String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        String head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        for (int from = 0; from < rows.size(); from += ROWS) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS));
            List<Object> values = new ArrayList<>(chunk.size() * columns.size());
            for (Object[] one : chunk) {
                if (one.length != columns.size()) {
                    throw new IllegalArgumentException("a row of " + one.length + " values for " + columns.size()
                            + " columns of " + table);
                }
                Collections.addAll(values, one);
            }
            jdbc.update(head + String.join(", ", Collections.nCopies(chunk.size(), row)), values.toArray());
        }
    }
}
