package io.archipelago.coordinator.axon;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.jspecify.annotations.Nullable;

/**
 * Retries a command only when the failure says nothing about the command itself, after a jittered exponential
 * back-off; everything else fails at once. Retried, anywhere in the cause chain:
 * <ul>
 *     <li>{@link ConcurrencyException}: another coordinator node appended to one of the aggregates first (optimistic
 *     locking on {@code (aggregate_identifier, sequence_number)}); the rollback evicted the stale cached aggregate,
 *     so the retry replays the winner's events and decides again;</li>
 *     <li>{@link LockAcquisitionFailedException}, including Axon's {@code DeadlockException}: two units of work
 *     locked the same aggregates in opposite orders (a market settling a job locks its Island; an Island's change
 *     locks its markets); one of them is rolled back and runs again;</li>
 *     <li>transient SQL failures: serialization failure {@code 40001}, deadlock {@code 40P01}, connection loss
 *     (class {@code 08}), server shutting down or starting ({@code 57P01}-{@code 57P03}), and the driver's
 *     {@link SQLTransientException}/{@link SQLRecoverableException}.</li>
 * </ul>
 * Malformed commands ({@link IllegalArgumentException}), conflicts with state ({@link IllegalStateException}),
 * an aggregate that already exists or does not, and every other failure are never retried. A retry runs the whole
 * unit of work again from a clean state, so it cannot apply a command twice; a connection lost during commit is
 * the one ambiguous case, and every command carries a caller-chosen id (job, deposit, payout) that makes its
 * repetition harmless.
 */
final class TransientFailureRetryScheduler extends ExponentialBackOffIntervalRetryScheduler
        implements AutoCloseable {

    private static final long MAX_INTERVAL_MILLIS = 1_000;
    private static final long CLOSE_WAIT_SECONDS = 3;

    private final ScheduledExecutorService executor;
    private final DeadlockEscalation escalation;
    private final LongAdder retries = new LongAdder();

    /**
     * Retries at most {@code maxRetries} times on {@code executor}, which it shuts down when closed, telling
     * {@code escalation} of each retry so that a command losing deadlocks again and again ends up running alone.
     */
    TransientFailureRetryScheduler(ScheduledExecutorService executor, int maxRetries, Duration initialInterval,
                                   DeadlockEscalation escalation) {
        super(ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .maxRetryCount(maxRetries)
                .backoffFactor(Math.max(1, initialInterval.toMillis())));
        this.executor = executor;
        this.escalation = escalation;
    }

    @Override
    @SuppressWarnings("rawtypes") // Axon's RetryScheduler declares the raw type
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatchTask) {
        // marked before it is scheduled, so that the retry cannot run before the mark
        escalation.beforeRetry(commandMessage, lastFailure, failures.size());
        boolean scheduled = super.scheduleRetry(commandMessage, lastFailure, failures, dispatchTask);
        if (scheduled) {
            retries.increment();
        } else {
            escalation.forget(commandMessage);
        }
        return scheduled;
    }

    @Override
    protected boolean isExplicitlyNonTransient(Throwable failure) {
        return !isTransient(failure);
    }

    @Override
    @SuppressWarnings("rawtypes") // as Axon declares it
    protected long computeRetryInterval(CommandMessage commandMessage, RuntimeException lastFailure,
                                        List<Class<? extends Throwable>[]> failures) {
        long interval = Math.min(MAX_INTERVAL_MILLIS, super.computeRetryInterval(commandMessage, lastFailure,
                failures));
        // two nodes that collided once must not collide again at the same instant
        return interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1);
    }

    /** How many retries were scheduled since start: a gauge of contention between nodes and units of work. */
    long retriesScheduled() {
        return retries.sum();
    }

    /**
     * Retries already scheduled still run (within a second), so their callers get an answer, and are waited for (at
     * most {@value #CLOSE_WAIT_SECONDS} s), so that no event is committed after the beans that follow the store are
     * gone; later ones are refused and their commands fail with their last failure.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isTransient(Throwable failure) {
        return Causes.anyMatch(failure, cause -> cause instanceof ConcurrencyException
                || cause instanceof LockAcquisitionFailedException
                || cause instanceof SQLTransientException
                || cause instanceof SQLRecoverableException
                || cause instanceof SQLException sql && isTransientState(sql.getSQLState()));
    }

    private static boolean isTransientState(@Nullable String state) {
        return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
