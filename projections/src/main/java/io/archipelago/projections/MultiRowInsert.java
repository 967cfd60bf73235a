package io.archipelago.projections;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Inserts rows into a table with multi-row {@code INSERT … VALUES (…), (…)} statements of up to {@value #ROWS} rows
 * each: one round trip for many rows, for a rebuild writing its fresh tables. Values are JDBC parameters, a
 * {@code null} (or a {@link SqlParameterValue} of null) the literal {@code NULL}.
 */
public final class MultiRowInsert {

    private static final int ROWS = 500;

    private MultiRowInsert() {
    }

    private static boolean isNull(@Nullable Object value) {
        return value == null || value instanceof SqlParameterValue typed && typed.getValue() == null;
    }

    /** Inserts {@code rows} (one value per column, in the order of {@code columns}) into {@code table}. */
    public static void insert(JdbcTemplate jdbc, String table, List<String> columns, List<Object[]> rows) {
        String head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        for (int from = 0; from < rows.size(); from += ROWS) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS));
            List<Object> values = new ArrayList<>(chunk.size() * columns.size());
            StringBuilder sql = new StringBuilder(head);
            for (Object[] one : chunk) {
                if (one.length != columns.size()) {
                    throw new IllegalArgumentException("a row of " + one.length + " values for " + columns.size()
                            + " columns of " + table);
                }
                sql.append(values.isEmpty() && sql.length() == head.length() ? "(" : ", (");
                for (int column = 0; column < one.length; column++) {
                    sql.append(column == 0 ? "" : ", ");
                    // an INSERT's VALUES take the columns' types: a NULL needs no typed parameter
                    if (isNull(one[column])) {
                        sql.append("NULL");
                    } else {
                        sql.append('?');
                        values.add(one[column]);
                    }
                }
                sql.append(')');
            }
            jdbc.update(sql.toString(), values.toArray());
        }
    }
}
