package io.archipelago.projections;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How a projection writes its rows. Each statement names the row it writes ({@code table} and key). Outside a replay
 * it runs at once, as a plain {@link JdbcClient} statement would. While the processor replays the store (a rebuild:
 * the event carries a {@link ReplayToken}), it is kept for the unit of work, which holds a whole batch of events in
 * one transaction, and the unit of work sends them all before it commits, as one JDBC batch per statement text: one
 * round trip where there were a hundred.
 *
 * <p>Statements of one row run in the order they were written; statements of different rows may run in any order.
 * That holds when a statement changes only the row it names and reads no row another deferred statement writes
 * (upserts and updates by key guarded by {@code last_sequence}). A projection that reads its own tables in a handler,
 * or uses what a statement returns, writes with {@link JdbcClient} instead. A projection whose every handler writes
 * only through this class says so with {@link WritesInBatches}, and its handlers then run without a savepoint of
 * their own while replaying (a failed statement then fails the batch, which the processor retries, instead of
 * parking one event).
 */
public final class ReadModelWrites {

    private static final String PENDING = ReadModelWrites.class.getName() + ".pending";

    private final NamedParameterJdbcTemplate jdbc;
    private final JdbcClient client;

    public ReadModelWrites(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.client = JdbcClient.create(jdbc);
    }

    /** For what is not a row's write: a reset, a read. */
    public JdbcClient jdbc() {
        return client;
    }

    /** A statement writing the row of {@code table} with {@code key} (any value with equals, e.g. a list). */
    public Statement row(String table, Object key) {
        return new Statement(List.of(table, key));
    }

    /**
     * Whether this handler's writes are deferred to its unit of work: a replay inside one, or any event after one in
     * the same unit of work (a batch can end past the replay; its newer events must not overtake the deferred ones).
     */
    public static boolean deferring() {
        if (!CurrentUnitOfWork.isStarted()) {
            return false;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.root().getResource(PENDING) != null
                || unitOfWork.getMessage() != null && ReplayToken.isReplay(unitOfWork.getMessage());
    }

    /**
     * Defers every write of the current unit of work to its commit, replay or not: for a rebuild, which hands the
     * projections events of its own outside any processor.
     */
    public void deferToCommit() {
        pendingOfThisUnitOfWork();
    }

    /** How many deferred writes the current unit of work holds; a mark for {@link #discardFrom}. */
    public static int pending() {
        Pending pending = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().getResource(PENDING) : null;
        return pending == null ? 0 : pending.writes.size();
    }

    /** Drops the deferred writes after {@code mark}: those of a handler that failed. */
    public static void discardFrom(int mark) {
        Pending pending = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().getResource(PENDING) : null;
        if (pending != null && pending.writes.size() > mark) {
            pending.writes.subList(mark, pending.writes.size()).clear();
        }
    }

    private Pending pendingOfThisUnitOfWork() {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(PENDING, name -> {
            Pending pending = new Pending(jdbc);
            root.onPrepareCommit(committing -> pending.flush());
            return pending;
        });
    }

    /** One statement with its parameters, like {@link JdbcClient.StatementSpec}. */
    public final class Statement {

        private final Object row;
        private @Nullable String sql;
        private final MapSqlParameterSource params = new MapSqlParameterSource();

        private Statement(Object row) {
            this.row = row;
        }

        public Statement sql(String text) {
            this.sql = text;
            return this;
        }

        public Statement param(String name, @Nullable Object value) {
            params.addValue(name, value);
            return this;
        }

        public Statement params(Map<String, ?> values) {
            params.addValues(values);
            return this;
        }

        /** Runs the statement now, or defers it to the unit of work's commit while replaying. */
        public void update() {
            if (sql == null) {
                throw new IllegalStateException("a statement without SQL");
            }
            if (deferring()) {
                pendingOfThisUnitOfWork().writes.add(new Write(row, sql, params));
            } else {
                jdbc.update(sql, params);
            }
        }
    }

    private record Write(Object row, String sql, SqlParameterSource params) {
    }

    /** The deferred writes of one unit of work. */
    private static final class Pending {

        private final NamedParameterJdbcTemplate jdbc;
        private final List<Write> writes = new ArrayList<>();

        Pending(NamedParameterJdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * Puts each write into the earliest batch of its statement that runs no earlier than the batch of the last
         * write of its row (the same batch keeps their order too), then runs the batches in order.
         */
        void flush() {
            List<Batch> batches = new ArrayList<>();
            Map<String, NavigableSet<Integer>> batchesOfStatement = new HashMap<>();
            Map<Object, Integer> batchOfRow = new HashMap<>();
            for (Write write : writes) {
                int after = batchOfRow.getOrDefault(write.row(), -1);
                NavigableSet<Integer> candidates = batchesOfStatement.computeIfAbsent(write.sql(),
                        sql -> new TreeSet<>());
                Integer chosen = candidates.ceiling(after);
                if (chosen == null) {
                    chosen = batches.size();
                    batches.add(new Batch(write.sql(), new ArrayList<>()));
                    candidates.add(chosen);
                }
                batches.get(chosen).params().add(write.params());
                batchOfRow.put(write.row(), chosen);
            }
            writes.clear();
            for (Batch batch : batches) {
                jdbc.batchUpdate(batch.sql(), batch.params().toArray(SqlParameterSource[]::new));
            }
        }
    }

    private record Batch(String sql, List<SqlParameterSource> params) {
    }
}
