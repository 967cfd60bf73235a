package io.archipelago.coordinator.openai;

import io.archipelago.projections.workflow.WorkflowProgressView;
import io.archipelago.projections.workflow.WorkflowViews;
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
 * The progress of a workflow as server-sent events, {@code event: <type>}, {@code data: <one-line JSON>} and a
 * blank line, read from the workflow read model ({@link WorkflowViews}): a subscriber first gets every event of the
 * workflow so far, then the rest as the projection records them, on whichever node it asked; its stream ends after
 * {@value WorkflowProgressView#LAST}. Each subscriber reads the model on its own turn of a shared pool, so a slow
 * reader delays only itself. (As {@link BatchStream} does for batches.)
 */
@Component
final class WorkflowStream implements AutoCloseable {

    /** How often a subscriber looks for the workflow's next events. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final WorkflowViews views;
    private final ScheduledExecutorService readers;

    WorkflowStream(WorkflowViews views) {
        this.views = views;
        AtomicInteger threads = new AtomicInteger();
        this.readers = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "workflow-stream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sends the workflow's events to {@code emitter} from the first, until the last. */
    void subscribe(String workflowId, ResponseBodyEmitter emitter) {
        Subscriber subscriber = new Subscriber(workflowId, emitter);
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
        private final String workflowId;
        private final ResponseBodyEmitter emitter;
        private volatile @Nullable ScheduledFuture<?> polling;
        private long lastSeq = -1;
        private volatile boolean ended;

        Subscriber(String workflowId, ResponseBodyEmitter emitter) {
            this.workflowId = workflowId;
            this.emitter = emitter;
        }

        @Override
        public synchronized void run() {
            if (ended) {
                stop();
                return;
            }
            List<WorkflowProgressView> events;
            try {
                events = views.progress(workflowId, lastSeq);
            } catch (RuntimeException unreadable) {
                // the read model is briefly unavailable: look again at the next turn
                return;
            }
            for (WorkflowProgressView event : events) {
                try {
                    emitter.send("event: " + event.type() + "\ndata: " + event.data() + "\n\n", MediaType.TEXT_PLAIN);
                } catch (IOException | IllegalStateException gone) {
                    stop();
                    emitter.completeWithError(gone);
                    return;
                }
                lastSeq = event.seq();
                if (event.type().equals(WorkflowProgressView.LAST)) {
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
