package io.archipelago.coordinator.openai;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The progress of a multi-step piece of work (a batch, a workflow) as server-sent events, {@code event: <type>},
 * {@code data: <one-line JSON>} and a blank line, read from its read model: a subscriber first gets every event so
 * far, then the rest as the projection records them, on whichever node it asked; its stream ends after the event of
 * the type it names last. Each subscriber reads the model on its own turn of a shared pool, so a slow reader delays
 * only itself.
 */
@Component
final class ProgressStream implements AutoCloseable {

    /** One progress event: its number (increasing, with gaps), its type and its data as one line of JSON. */
    record Event(long seq, String type, String data) {
    }

    /** The events of one piece of work after a given number, in order. */
    @FunctionalInterface
    interface Source {
        List<Event> after(long seq);
    }


    /**
     * What a stream carries beside its read model's events: told of each event sent, and when a subscriber has
     * caught up with what the model holds, it may send events of its own, live ones no model keeps. Closed when the
     * stream ends.
     */
    interface Tap {
        /** {@code event} was sent. */
        void passed(Event event);

        /** Every event the model held at this turn was sent; {@code sink} sends the tap's own from now on. */
        void caughtUp(Sink sink);

        void close();
    }

    /** Sends one event of a tap's, in between the model's, while the stream is open. */
    interface Sink {
        void send(String type, String data);
    }

    /** How often a subscriber looks for the next events. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final ScheduledExecutorService readers;

    ProgressStream() {
        AtomicInteger threads = new AtomicInteger();
        this.readers = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "progress-stream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Sends the events of {@code source} to {@code emitter} from the first, until one of type {@code last}, with the
     * events {@code tap} adds.
     */
    void subscribe(Source source, String last, ResponseBodyEmitter emitter, Tap tap) {
        Subscriber subscriber = new Subscriber(source, last, emitter, tap);
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
    private final class Subscriber implements Runnable, Sink {
        private final Source source;
        private final String last;
        private final ResponseBodyEmitter emitter;
        private final Tap tap;
        private volatile @Nullable ScheduledFuture<?> polling;
        private long lastSeq = -1;
        private volatile boolean ended;

        Subscriber(Source source, String last, ResponseBodyEmitter emitter, Tap tap) {
            this.source = source;
            this.last = last;
            this.emitter = emitter;
            this.tap = tap;
        }

        @Override
        public synchronized void run() {
            if (ended) {
                stop();
                return;
            }
            List<Event> events;
            try {
                events = source.after(lastSeq);
            } catch (RuntimeException unreadable) {
                // the read model is briefly unavailable: look again at the next turn
                return;
            }
            for (Event event : events) {
                if (!write(event.type(), event.data())) {
                    return;
                }
                lastSeq = event.seq();
                tap.passed(event);
                if (event.type().equals(last)) {
                    stop();
                    emitter.complete();
                    return;
                }
            }
            tap.caughtUp(this);
        }

        /** A tap's event, unless the stream ended. */
        @Override
        public synchronized void send(String type, String data) {
            if (!ended) {
                write(type, data);
            }
        }

        /** Whether the event went out; a client gone ends the stream. */
        private boolean write(String type, String data) {
            try {
                emitter.send("event: " + type + "\ndata: " + data + "\n\n", MediaType.TEXT_PLAIN);
                return true;
            } catch (IOException | IllegalStateException gone) {
                stop();
                emitter.completeWithError(gone);
                return false;
            }
        }

        void stop() {
            if (!ended) {
                // off this subscriber's lock: a tap's delivery may be waiting on it to send
                try {
                    readers.execute(tap::close);
                } catch (RejectedExecutionException shuttingDown) {
                    tap.close();
                }
            }
            ended = true;
            ScheduledFuture<?> scheduled = polling;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
