package io.archipelago.coordinator.openai;

import io.archipelago.coordinator.openai.BatchStore.StoredEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The progress events of batches: each is stored ({@link BatchStore}) and then sent to the batch's live subscribers as
 * a server-sent event, {@code event: <type>}, {@code data: <one-line JSON>} and a blank line. A subscriber first gets
 * every event of the batch so far, then the rest as they happen, so a late one sees everything; its stream ends after
 * {@code batch_completed}. Appending and subscribing share one lock, so no event is missed or sent twice between the
 * replay and the live ones. A running batch's replay comes from the frames this node holds for it, never from the
 * store: an event is often appended inside the unit of work of the market event that caused it, whose transaction
 * commits after the frame went out, so a read of the store could miss it. Each subscriber is written to on its own
 * turn of a shared pool: a slow reader delays only itself, never the batch. Live events reach subscribers of this
 * coordinator node only.
 */
@Component
final class BatchEvents implements AutoCloseable {

    /** The event that ends a batch's stream. */
    static final String LAST = "batch_completed";
    /** How long an ended batch's frames stay here, past the commit of its last events, before the store serves it. */
    private static final Duration ENDED_KEPT = Duration.ofMinutes(1);

    private final BatchStore store;
    private final Clock clock;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final ExecutorService delivery;

    BatchEvents(BatchStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.delivery = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "batch-events-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A batch that has begun (or resumes after a restart): its events from now on go to live subscribers too. */
    synchronized void open(String batchId) {
        Instant stale = clock.instant().minus(ENDED_KEPT);
        live.values().removeIf(batch -> batch.endedAt != null && batch.endedAt.isBefore(stale));
        Live batch = new Live();
        store.events(batchId).forEach(event -> batch.frames.add(frame(event.type(), event.data())));
        live.put(batchId, batch);
    }

    /** A batch that could not begin after all. */
    void forget(String batchId) {
        live.remove(batchId);
    }

    /** Stores event {@code seq} of the batch and sends it to its subscribers. */
    synchronized void append(String batchId, int seq, String type, String data) {
        store.append(batchId, seq, type, data, clock.instant());
        String frame = frame(type, data);
        boolean last = LAST.equals(type);
        @Nullable Live batch = live.get(batchId);
        if (batch != null && batch.endedAt == null) {
            batch.frames.add(frame);
            batch.subscribers.forEach(subscriber -> subscriber.offer(frame, last));
            if (last) {
                batch.endedAt = clock.instant();
                batch.subscribers.clear();
            }
        }
    }

    /** Replays the batch's events to {@code emitter}, then keeps it on the batch until it ends. */
    void subscribe(String batchId, ResponseBodyEmitter emitter) {
        Subscriber subscriber = new Subscriber(emitter);
        List<Subscriber> subscribers;
        synchronized (this) {
            @Nullable Live batch = live.get(batchId);
            if (batch == null) {
                // ended, or running on a node that is not this one: what is stored is all there is
                for (StoredEvent event : store.events(batchId)) {
                    subscriber.offer(frame(event.type(), event.data()), LAST.equals(event.type()));
                }
                subscriber.offer(null, true);
                return;
            }
            batch.frames.forEach(frame -> subscriber.offer(frame, false));
            if (batch.endedAt != null) {
                subscriber.offer(null, true);
                return;
            }
            subscribers = batch.subscribers;
            subscribers.add(subscriber);
        }
        Runnable leave = () -> {
            subscribers.remove(subscriber);
            subscriber.stop();
        };
        emitter.onCompletion(leave);
        emitter.onTimeout(leave);
        emitter.onError(failure -> leave.run());
    }

    private static String frame(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }

    /** A batch running on this node (or ended here a moment ago): the frames sent so far and who listens. */
    private static final class Live {
        final List<String> frames = new ArrayList<>();
        final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        @Nullable Instant endedAt;
    }

    /** One SSE response with its own queue of frames, written in order on the shared pool. */
    private final class Subscriber implements Runnable {
        private final ResponseBodyEmitter emitter;
        private final ArrayDeque<String> pending = new ArrayDeque<>();
        private boolean ending;
        private boolean scheduled;
        private boolean stopped;

        Subscriber(ResponseBodyEmitter emitter) {
            this.emitter = emitter;
        }

        /** Queues {@code frame} (none when null); {@code last} ends the stream after it. */
        synchronized void offer(@Nullable String frame, boolean last) {
            if (stopped || ending) {
                return;
            }
            if (frame != null) {
                pending.add(frame);
            }
            ending = last;
            if (!scheduled) {
                scheduled = true;
                delivery.execute(this);
            }
        }

        synchronized void stop() {
            stopped = true;
            pending.clear();
        }

        @Override
        public void run() {
            while (true) {
                @Nullable String frame;
                boolean end;
                synchronized (this) {
                    frame = pending.poll();
                    end = frame == null && ending && !stopped;
                    if (frame == null) {
                        scheduled = false;
                        if (end) {
                            stopped = true;
                        }
                    }
                }
                if (frame == null) {
                    if (end) {
                        emitter.complete();
                    }
                    return;
                }
                try {
                    emitter.send(frame, MediaType.TEXT_PLAIN);
                } catch (IOException | IllegalStateException gone) {
                    // the client left: its emitter's callbacks take it off the batch
                    stop();
                    emitter.completeWithError(gone);
                    return;
                }
            }
        }
    }
}
