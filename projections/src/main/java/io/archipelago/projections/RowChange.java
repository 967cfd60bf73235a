package io.archipelago.projections;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one event does to one row of a read model table, as data: the pure rule of a handler, which the live tables
 * apply as one SQL statement ({@link RowFolds}) and a rebuild's worker applies to the row it holds in memory
 * ({@link RowMemory}), so that the two cannot diverge. Three shapes:
 * <ul>
 *   <li>{@link #insert}: the row with these values, unless it is there already;</li>
 *   <li>{@link #update}: the row, if there and its {@code last_sequence} is lower than the event's, gets the
 *       assignments and the event's sequence; otherwise nothing changes;</li>
 *   <li>{@link #upsert}: the row with these values if absent, otherwise as {@link #update}.</li>
 * </ul>
 * Assignments: {@link #set} a value, {@link #add} an amount, {@link #max} / {@link #min} a value (the greater or the
 * lesser of the row's and this one), {@link #coalesce} a value where the row has none, {@link #addMillisSince} the
 * milliseconds from another column's time to this one (none without one); every assignment reads the row as it was
 * before the change. Values are JDBC parameters (strings, numbers, booleans, {@code OffsetDateTime},
 * {@code LocalDate}, null).
 */
public final class RowChange {

    enum Shape { INSERT, UPDATE, UPSERT }

    enum Operation { SET, ADD, MAX, MIN, COALESCE, ADD_MILLIS_SINCE }

    /** An assignment of a column; {@code other} the column an {@code ADD_MILLIS_SINCE} counts from. */
    record Assignment(Operation operation, @Nullable Object value, @Nullable String other) {

        Assignment(Operation operation, @Nullable Object value) {
            this(operation, value, null);
        }
    }

    private final Shape shape;
    private final String table;
    private final Map<String, Object> key;
    private final long sequence;
    private final Map<String, @Nullable Object> values = new LinkedHashMap<>();
    private final Map<String, Assignment> assignments = new LinkedHashMap<>();

    private RowChange(Shape shape, String table, Map<String, Object> key, long sequence) {
        this.shape = shape;
        this.table = table;
        this.key = key;
        this.sequence = sequence;
    }

    /** Inserts the row of {@code key} (column, value pairs, in the table's key order) unless it is there. */
    public static RowChange insert(String table, Map<String, Object> key) {
        return new RowChange(Shape.INSERT, table, key, 0);
    }

    /** Changes the row of {@code key} if the event {@code sequence} is later than the last one it applied. */
    public static RowChange update(String table, Map<String, Object> key, long sequence) {
        return new RowChange(Shape.UPDATE, table, key, sequence);
    }

    /** Inserts the row with {@link #value}s, or changes it as {@link #update} does. */
    public static RowChange upsert(String table, Map<String, Object> key, long sequence) {
        return new RowChange(Shape.UPSERT, table, key, sequence);
    }

    /** A column of the row inserted (an insert, or an upsert's absent row). */
    public RowChange value(String column, @Nullable Object value) {
        values.put(column, value);
        return this;
    }

    public RowChange set(String column, @Nullable Object value) {
        assignments.put(column, new Assignment(Operation.SET, value));
        return this;
    }

    public RowChange add(String column, long amount) {
        assignments.put(column, new Assignment(Operation.ADD, amount));
        return this;
    }

    public RowChange max(String column, long value) {
        assignments.put(column, new Assignment(Operation.MAX, value));
        return this;
    }

    public RowChange min(String column, long value) {
        assignments.put(column, new Assignment(Operation.MIN, value));
        return this;
    }

    public RowChange coalesce(String column, Object value) {
        assignments.put(column, new Assignment(Operation.COALESCE, value));
        return this;
    }

    /** Adds to {@code column} the milliseconds from the time in {@code since} (if any) to {@code at}. */
    public RowChange addMillisSince(String column, String since, OffsetDateTime at) {
        assignments.put(column, new Assignment(Operation.ADD_MILLIS_SINCE, at, since));
        return this;
    }

    Shape shape() {
        return shape;
    }

    String table() {
        return table;
    }

    Map<String, Object> key() {
        return key;
    }

    /** The key's values, as the row's identity. */
    List<Object> keyValues() {
        return List.copyOf(key.values());
    }

    long sequence() {
        return sequence;
    }

    Map<String, @Nullable Object> values() {
        return values;
    }

    Map<String, Assignment> assignments() {
        return assignments;
    }
}
