package io.archipelago.payments;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the payout work on one thread of its own: the threshold check every {@code check-interval}, due transfers
 * every {@code retry-interval} and right after a payout is requested. Never on an HTTP or event processor thread,
 * so a slow Stripe holds up nothing else.
 */
@Component
final class PayoutSchedule implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutSchedule.class);

    private final PayoutDesk desk;
    private final PayoutThreshold threshold;
    private final PayoutProperties properties;
    private volatile @Nullable ScheduledExecutorService executor;

    PayoutSchedule(PayoutDesk desk, PayoutThreshold threshold, PayoutProperties properties) {
        this.desk = desk;
        this.threshold = threshold;
        this.properties = properties;
    }

    /** Pays due payouts as soon as the schedule's thread is free. */
    void wake() {
        ScheduledExecutorService running = executor;
        if (running != null && !running.isShutdown()) {
            running.execute(this::payDue);
        }
    }

    private void payDue() {
        try {
            desk.payDue();
        } catch (RuntimeException failure) {
            LOG.warn("paying due payouts failed; trying again later", failure);
        }
    }

    private void requestDue() {
        try {
            threshold.requestDue();
        } catch (RuntimeException failure) {
            LOG.warn("requesting payouts over the threshold failed; trying again later", failure);
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "payouts");
            thread.setDaemon(true);
            return thread;
        });
        long check = properties.checkInterval().toMillis();
        long retry = properties.retryInterval().toMillis();
        executor.scheduleWithFixedDelay(this::requestDue, check, check, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::payDue, retry, retry, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService running = executor;
        return running != null && !running.isShutdown();
    }

    /** Stops before Axon's processors and the database it writes to. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
