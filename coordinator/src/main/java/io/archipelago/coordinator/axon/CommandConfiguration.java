package io.archipelago.coordinator.axon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Configuration;

/**
 * How the HTTP layer and the bridges send commands: the {@link CommandGateway} over Axon's local command bus, which
 * runs each command in the caller's thread inside one unit of work and one database transaction, retrying only
 * transient failures ({@link TransientFailureRetryScheduler}); and the {@link Clock} that stamps commands with
 * their time.
 */
@Configuration(proxyBeanMethods = false)
class CommandConfiguration {

    @Bean
    DeadlockEscalation deadlockEscalation(CommandBus commandBus) {
        DeadlockEscalation escalation = new DeadlockEscalation();
        commandBus.registerHandlerInterceptor(escalation);
        return escalation;
    }

    /**
     * Destroyed before the event chain's writer, and every bean that sends commands before it (they depend on the
     * gateway, which depends on this), so that the writer's links at shutdown come after the last event.
     */
    @Bean
    @DependsOn("eventChainWriter")
    TransientFailureRetryScheduler commandRetryScheduler(
            @Value("${archipelago.command-retry.max-retries:8}") int maxRetries,
            @Value("${archipelago.command-retry.initial-interval:10ms}") Duration initialInterval,
            DeadlockEscalation deadlockEscalation) {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(
                Math.max(2, Runtime.getRuntime().availableProcessors()), task -> {
                    Thread thread = new Thread(task, "command-retry-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.setRemoveOnCancelPolicy(true);
        return new TransientFailureRetryScheduler(executor, maxRetries, initialInterval, deadlockEscalation);
    }

    /** {@code archipelago.command.retries}: the retries scheduled since start, contention between nodes among them. */
    @Bean
    MeterBinder commandRetriesMetric(TransientFailureRetryScheduler commandRetryScheduler) {
        return registry -> Gauge.builder("archipelago.command.retries", commandRetryScheduler,
                TransientFailureRetryScheduler::retriesScheduled).register(registry);
    }

    /** {@code archipelago.command.run-alone}: commands that lost deadlocks again and again and then ran alone. */
    @Bean
    MeterBinder commandsRunAloneMetric(DeadlockEscalation deadlockEscalation) {
        return registry -> Gauge.builder("archipelago.command.run-alone", deadlockEscalation,
                DeadlockEscalation::commandsRunAlone).register(registry);
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, TransientFailureRetryScheduler commandRetryScheduler) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(commandRetryScheduler)
                .build();
    }

    /** Exchange time is UTC; commands carry it, the domain never reads a clock itself. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
