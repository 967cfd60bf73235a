package io.archipelago.coordinator.openai;

import io.archipelago.projections.batch.BatchProgressView;
import io.archipelago.projections.batch.BatchViews;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The progress of a batch as server-sent events, {@code event: <type>}, {@code data: <one-line JSON>} and a blank
 * line, read from the batch read model ({@link BatchViews}): a subscriber first gets every event of the batch so far,
 * then the rest as the projection records them, on whichever node it asked; its stream ends after
 * {@value BatchProgressView#LAST}. Each subscriber reads the model on its own turn of a shared pool, so a slow reader
 * delays only itself.
 */
@Component
final class BatchStream implements AutoCloseable {

    /** How often a subscriber looks for the batch's next events. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final BatchViews views;
    private final ScheduledExecutorService readers;

    BatchStream(BatchViews views) {
        this.views = views;
        AtomicInteger threads = new AtomicInteger();
        this.readers = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "batch-stream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sends the batch's events to {@code emitter} from the first, until the last. */
    void subscribe(String batchId, ResponseBodyEmitter emitter) {
        Subscriber subscriber = new Subscriber(batchId, emitter);
        subscriber.polling = readers.scheduleWithFixedDelay(subscriber, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        Runnable leave = subscriber::stop;
        emitter.onCompletion(leave);
        emitter.onTimeout(leave);
        emitter.onError(failure -> leave.run());
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }

    /** One SSE response and how far it has read. */
    private final class Subscriber implements Runnable {
        private final String batchId;
        private final ResponseBodyEmitter emitter;
        private volatile @Nullable ScheduledFuture<?> polling;
        private long lastSeq = -1;
        private volatile boolean ended;

        Subscriber(String batchId, ResponseBodyEmitter emitter) {
            this.batchId = batchId;
            this.emitter = emitter;
        }

        @Override
        public synchronized void run() {
            if (ended) {
                stop();
                return;
            }
            List<BatchProgressView> events;
            try {
                events = views.progress(batchId, lastSeq);
            } catch (RuntimeException unreadable) {
                // the read model is briefly unavailable: look again at the next turn
                return;
            }
            for (BatchProgressView event : events) {
                try {
                    emitter.send("event: " + event.type() + "\ndata: " + event.data() + "\n\n", MediaType.TEXT_PLAIN);
                } catch (IOException | IllegalStateException gone) {
                    stop();
                    emitter.completeWithError(gone);
                    return;
                }
                lastSeq = event.seq();
                if (event.type().equals(BatchProgressView.LAST)) {
                    stop();
                    emitter.complete();
                    return;
                }
            }
        }

        void stop() {
            ended = true;
            ScheduledFuture<?> scheduled = polling;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
