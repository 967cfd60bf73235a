package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.JobInputs;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes the job inputs past their time every {@code archipelago.inputs.sweep-interval}: those kept for the
 * retention after settlement, and those whose settlement no node deleted them at (a coordinator stopped in between).
 * Every node may do it; a row deleted twice is deleted once.
 */
final class InputSweep implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(InputSweep.class);

    private final JobInputs inputs;
    private final Duration interval;
    private @Nullable ScheduledExecutorService timer;

    InputSweep(JobInputs inputs, Duration interval) {
        this.inputs = inputs;
        this.interval = interval;
    }

    void sweep() {
        try {
            int deleted = inputs.sweep();
            if (deleted > 0) {
                LOG.debug("deleted {} job inputs past their time", deleted);
            }
        } catch (RuntimeException unreachable) {
            // the database is away for a moment: the next sweep deletes them
            LOG.debug("input sweep skipped: {}", unreachable.toString());
        }
    }

    @Override
    public synchronized void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "input-sweep");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::sweep, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        timer = started;
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
