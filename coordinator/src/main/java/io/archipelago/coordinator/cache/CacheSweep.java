package io.archipelago.coordinator.cache;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@code archipelago.cache.sweep-interval}, deletes the answers past the TTL and the oldest beyond the count and
 * size limits. Every node may do it; an answer deleted twice is deleted once.
 */
final class CacheSweep implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CacheSweep.class);

    private final InferenceCache cache;
    private final Duration interval;
    private @Nullable ScheduledExecutorService timer;

    CacheSweep(InferenceCache cache, Duration interval) {
        this.cache = cache;
        this.interval = interval;
    }

    void sweep() {
        try {
            int deleted = cache.sweep();
            if (deleted > 0) {
                LOG.debug("deleted {} cached answers past their time or beyond the limits", deleted);
            }
        } catch (RuntimeException unreachable) {
            // the database is away for a moment: the next sweep deletes them, and lookups skip expired answers
            LOG.debug("cache sweep skipped: {}", unreachable.toString());
        }
    }

    @Override
    public synchronized void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cache-sweep");
            thread.setDaemon(true);
            return thread;
        });
        // the first sweep at once, so that the semantic index holds the stored embeddings from the start
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
