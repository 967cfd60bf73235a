package io.archipelago.coordinator.axon;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Makes sure a command that keeps losing lock-order deadlocks still runs. Units of work lock aggregates in opposite
 * orders by design (a market settling a job locks its Island, an Island's new conditions lock its markets); Axon
 * detects the cycle and fails one side with a {@link DeadlockException}, and the retry scheduler runs it again. Under
 * steady contention the same command can lose again and again until its retries run out (an Island's round-trip
 * report against a market busy with completions did, once in five runs of {@code ConcurrentBiddingTest}).
 *
 * <p>So every command's handling holds the shared side of one read-write lock, and a command that has lost
 * {@link #DEADLOCKS_BEFORE_RUNNING_ALONE} deadlocks is retried holding the exclusive side: no other command handler
 * in this JVM runs beside it, so it cannot be part of a cycle again. Axon's aggregate locks are local to a JVM
 * (between nodes the store's optimistic locking decides), so this bounds a command's deadlocks at two. Handlers that
 * commands dispatch from inside another unit of work share their root's side; a thread that already holds the
 * shared side is never upgraded (that would wait for itself). The side is released when the unit of work is
 * cleaned up, after the aggregate locks it took.
 */
final class DeadlockEscalation implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** The deadlocks a command may lose with others running before it runs alone. */
    static final int DEADLOCKS_BEFORE_RUNNING_ALONE = 2;

    private final ReentrantReadWriteLock commands = new ReentrantReadWriteLock();
    private final Set<String> runAlone = ConcurrentHashMap.newKeySet();
    private final LongAdder ranAlone = new LongAdder();

    /** Called by the retry scheduler before it retries {@code command}, with the attempts that failed so far. */
    void beforeRetry(CommandMessage<?> command, Throwable lastFailure, int failedAttempts) {
        if (failedAttempts >= DEADLOCKS_BEFORE_RUNNING_ALONE
                && Causes.anyMatch(lastFailure, cause -> cause instanceof DeadlockException)) {
            runAlone.add(command.getIdentifier());
        }
    }

    /** Called by the retry scheduler when it gives up on {@code command}. */
    void forget(CommandMessage<?> command) {
        runAlone.remove(command.getIdentifier());
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        String command = unitOfWork.getMessage().getIdentifier();
        boolean alone = runAlone.remove(command) && commands.getReadHoldCount() == 0;
        Lock side = alone ? commands.writeLock() : commands.readLock();
        side.lock();
        try {
            unitOfWork.onCleanup(done -> side.unlock());
        } catch (RuntimeException notRegistered) {
            side.unlock();
            throw notRegistered;
        }
        if (alone) {
            ranAlone.increment();
        }
        return interceptorChain.proceed();
    }

    /** Whether the calling thread is handling a command that runs alone. */
    boolean isRunningAlone() {
        return commands.isWriteLockedByCurrentThread();
    }

    /** How many commands ran alone since start. */
    long commandsRunAlone() {
        return ranAlone.sum();
    }
}
