package io.archipelago.projections;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a rebuild's worker keeps in memory for the whole rebuild instead of reading and writing its tables per event:
 * the rows of projections whose handlers would otherwise read their own tables (the market's counts and best prices).
 * A worker holds one, binds it to each unit of work it runs, and when it has replayed its last event, writes every
 * row once ({@link State#write}) into the fresh tables. A projection's handlers ask {@link #current} which tables to
 * use: these rows while a rebuild runs them, their SQL tables otherwise; the rules of what an event does to a row
 * are the same code either way.
 *
 * <p>Workers are split by aggregate, so each holds the rows of its own aggregates. A state of rows written only at
 * the end must be idempotent under a batch applied twice (a retried transaction), as the tables' {@code last_sequence}
 * guards make it; a state mirroring rows the batch writes by SQL follows its transaction ({@link State#committed},
 * {@link State#rolledBack}).
 */
public final class RebuildMemory {

    private static final String RESOURCE = RebuildMemory.class.getName();

    /** Rows held in memory for a rebuild, written into the fresh tables at its end. */
    public interface State {

        /** Writes every row held, once, in the caller's transaction (the fresh tables come first on its path). */
        void write(JdbcTemplate jdbc);

        /**
         * The transaction of the batch the state saw committed. A state that mirrors rows of the fresh tables
         * (written by SQL in the batch's transaction) keeps what the batch changed from here on.
         */
        default void committed() {
        }

        /** The transaction of the batch rolled back (it will be retried): forget what the batch changed. */
        default void rolledBack() {
        }
    }

    private final Map<Class<?>, State> states = new LinkedHashMap<>();

    /** Makes this memory the one the handlers of the current unit of work (and its batch) find. */
    public void bindToCurrentUnitOfWork() {
        CurrentUnitOfWork.get().root().resources().put(RESOURCE, this);
    }

    /** The memory of the rebuild running the current unit of work, if one does. */
    public static Optional<RebuildMemory> current() {
        if (!CurrentUnitOfWork.isStarted()) {
            return Optional.empty();
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return Optional.ofNullable(root.getResource(RESOURCE));
    }

    /** The state of {@code type}, made on first use. */
    public <T extends State> T state(Class<T> type, Supplier<T> create) {
        return type.cast(states.computeIfAbsent(type, absent -> create.get()));
    }

    /** The batch's transaction committed. */
    public void committed() {
        states.values().forEach(State::committed);
    }

    /** The batch's transaction rolled back. */
    public void rolledBack() {
        states.values().forEach(State::rolledBack);
    }

    /** Writes every state's rows; the memory is spent afterwards. */
    public void write(JdbcTemplate jdbc) {
        states.values().forEach(state -> state.write(jdbc));
        states.clear();
    }
}
