package io.archipelago.coordinator.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

class TransientFailureRetrySchedulerTest {

    private static SQLException postgres(String state) {
        return new SQLException("from the server", state);
    }

    @Test
    void retriesConflictsBetweenNodesAndUnitsOfWorkAndTransientDatabaseFailures() {
        assertThat(TransientFailureRetryScheduler.isTransient(new ConcurrencyException("another node was first")))
                .isTrue();
        assertThat(TransientFailureRetryScheduler.isTransient(new DeadlockException("opposite lock order")))
                .isTrue();
        assertThat(TransientFailureRetryScheduler.isTransient(
                new EventStoreException("append failed", postgres("40P01")))).isTrue();
        assertThat(TransientFailureRetryScheduler.isTransient(
                new EventStoreException("append failed", postgres("08006")))).isTrue();
        assertThat(TransientFailureRetryScheduler.isTransient(
                new IllegalStateException("no connection", new SQLTransientConnectionException("pool empty"))))
                .isTrue();
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 aborted", "40001", new int[0]);
        assertThat(TransientFailureRetryScheduler.isTransient(new EventStoreException("append failed", batch)))
                .isTrue();
    }

    @Test
    void neverRetriesWhatARetryWouldRepeat() {
        assertThat(TransientFailureRetryScheduler.isTransient(new IllegalArgumentException("ttl is negative")))
                .isFalse();
        assertThat(TransientFailureRetryScheduler.isTransient(new IllegalStateException("job is not running")))
                .isFalse();
        assertThat(TransientFailureRetryScheduler.isTransient(
                new AggregateStreamCreationException("account exists"))).isFalse();
        assertThat(TransientFailureRetryScheduler.isTransient(new AggregateNotFoundException("x", "no such")))
                .isFalse();
        assertThat(TransientFailureRetryScheduler.isTransient(
                new EventStoreException("append failed", postgres("42P01")))).isFalse();
    }

    @Test
    void schedulesAtMostTheConfiguredRetriesWithGrowingIntervalsAndCountsThem() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (TransientFailureRetryScheduler scheduler = new TransientFailureRetryScheduler(executor, 2,
                Duration.ofMillis(10), new DeadlockEscalation())) {
            var command = GenericCommandMessage.asCommandMessage("bid");
            List<Class<? extends Throwable>[]> failures = new ArrayList<>();
            RuntimeException conflict = new ConcurrencyException("conflict");
            failures.add(conflicts());
            assertThat(scheduler.scheduleRetry(command, conflict, failures, () -> { })).isTrue();
            failures.add(conflicts());
            assertThat(scheduler.scheduleRetry(command, conflict, failures, () -> { })).isTrue();
            failures.add(conflicts());
            assertThat(scheduler.scheduleRetry(command, conflict, failures, () -> { })).isFalse();
            assertThat(scheduler.scheduleRetry(command, new IllegalArgumentException("bad"), List.of(), () -> { }))
                    .isFalse();
            assertThat(scheduler.retriesScheduled()).isEqualTo(2);

            List<Class<? extends Throwable>[]> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(conflicts());
            }
            long interval = scheduler.computeRetryInterval(command, conflict, many);
            assertThat(interval).isBetween(500L, 1_000L);
            assertThat(scheduler.computeRetryInterval(command, conflict, failures.subList(0, 1)))
                    .isBetween(5L, 10L);
        }
    }

    @Test
    void aDuplicateKeyFromPostgresIsAConcurrencyConflict() {
        PostgresDuplicateKeyResolver resolver = new PostgresDuplicateKeyResolver();
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 aborted", null, new int[0]);
        batch.setNextException(postgres("23505"));
        assertThat(resolver.isDuplicateKeyViolation(new RuntimeException(batch))).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(postgres("23505"))).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(postgres("23503"))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new IllegalStateException("no"))).isFalse();
    }

    /** One failed attempt's causes, as Axon's retry scheduler records them: an array of exception classes. */
    @SuppressWarnings({"unchecked", "rawtypes"}) // Java has no generic array creation
    private static Class<? extends Throwable>[] conflicts() {
        return new Class[] {ConcurrencyException.class};
    }
}
