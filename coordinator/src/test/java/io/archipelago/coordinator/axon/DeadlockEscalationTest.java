package io.archipelago.coordinator.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Axon's local command bus and gateway with the project's retry scheduler and deadlock escalation. */
class DeadlockEscalationTest {

    /** A command whose handler loses a deadlock every time another command could run beside it. */
    record Contended(String id) {
    }

    /** A command whose handler waits on a latch. */
    record Slow(String id) {
    }

    private final DeadlockEscalation escalation = new DeadlockEscalation();
    private final AtomicInteger contendedAttempts = new AtomicInteger();
    private final CountDownLatch slowMayFinish = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private TransientFailureRetryScheduler scheduler;
    private CommandGateway gateway;

    @BeforeEach
    void wire() {
        CommandBus bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(escalation);
        bus.subscribe(Contended.class.getName(), command -> {
            contendedAttempts.incrementAndGet();
            if (!escalation.isRunningAlone()) {
                throw new DeadlockException("lost a lock-order cycle");
            }
            return "done";
        });
        bus.subscribe(Slow.class.getName(), command -> {
            slowStarted.countDown();
            assertThat(slowMayFinish.await(30, TimeUnit.SECONDS)).isTrue();
            return "slow done";
        });
        scheduler = new TransientFailureRetryScheduler(Executors.newSingleThreadScheduledExecutor(), 8,
                Duration.ofMillis(5), escalation);
        gateway = DefaultCommandGateway.builder().commandBus(bus).retryScheduler(scheduler).build();
    }

    @AfterEach
    void close() {
        slowMayFinish.countDown();
        scheduler.close();
    }

    @Test
    void aCommandThatKeepsLosingDeadlocksRunsAloneAndSucceeds() {
        assertThat(gateway.<String>sendAndWait(new Contended("c-1"), 30, TimeUnit.SECONDS)).isEqualTo("done");

        assertThat(contendedAttempts).hasValue(DeadlockEscalation.DEADLOCKS_BEFORE_RUNNING_ALONE + 1);
        assertThat(escalation.commandsRunAlone()).isEqualTo(1);
        assertThat(scheduler.retriesScheduled()).isEqualTo(DeadlockEscalation.DEADLOCKS_BEFORE_RUNNING_ALONE);
    }

    @Test
    void aCommandRunningAloneWaitsForTheHandlersAlreadyRunningAndNothingElseRunsBesideIt() throws Exception {
        CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> gateway.sendAndWait(new Slow("s-1")));
        assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> contended = gateway.send(new Contended("c-2"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> contendedAttempts.get() == DeadlockEscalation.DEADLOCKS_BEFORE_RUNNING_ALONE);
        // the third attempt waits for the slow handler, which holds the shared side
        assertThat(contended).isNotDone();
        assertThat(contendedAttempts).hasValue(DeadlockEscalation.DEADLOCKS_BEFORE_RUNNING_ALONE);

        slowMayFinish.countDown();
        assertThat(contended.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo("slow done");
    }

    @Test
    void failuresOtherThanDeadlocksNeverMakeACommandRunAlone() {
        CommandBus bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(escalation);
        AtomicInteger attempts = new AtomicInteger();
        bus.subscribe(Contended.class.getName(), command -> {
            if (attempts.incrementAndGet() < 4) {
                throw new ConcurrencyException("another node was first");
            }
            return escalation.isRunningAlone() ? "alone" : "shared";
        });
        CommandGateway conflicted = DefaultCommandGateway.builder().commandBus(bus).retryScheduler(scheduler).build();

        assertThat(conflicted.<String>sendAndWait(new Contended("c-3"), 30, TimeUnit.SECONDS)).isEqualTo("shared");
        assertThat(escalation.commandsRunAlone()).isZero();
    }
}
