package io.archipelago.bridge.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The output of every job the bridge runs, for in-process subscribers such as the OpenAI-compatible API. A
 * subscriber may come before the job is placed or after it started: it first gets what was already streamed, then
 * the rest live. Each subscriber has its own queue, drained on its own turn of a shared pool, so one that reads
 * slowly delays only itself; one that falls more than {@link #MAX_PENDING} events behind is cut off with
 * {@link JobStreamListener#onFailed}. Finished streams are kept for {@code retention} for late subscribers.
 *
 * <p>A job may be dispatched by another coordinator node than the one its client is connected to: while a job has
 * subscribers here, its {@link StreamFeed} brings the chunks that node released, and first asks that node for the
 * ones it released before ({@link #released}). Until that history has come ({@link #historyReceived}), a chunk after a
 * gap waits for the chunks before it, and so does the stream's end, so a subscriber on any node gets the whole
 * stream in order. Chunks may come twice (from this node's own dispatch, the feed and the history) and are taken
 * once, by sequence number.
 */
public final class JobStreams implements AutoCloseable {

    /** How many undelivered events a subscriber may have before it is cut off. */
    public static final int MAX_PENDING = 16_384;

    /** How many chunks of one job are kept for late subscribers. */
    static final int MAX_HISTORY = 100_000;

    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final ExecutorService delivery;
    private final long retentionNanos;
    private final StreamFeed feed;

    /** Streams of the jobs this node dispatches, and of those {@code feed} brings from other nodes. */
    public JobStreams(Duration retention, StreamFeed feed) {
        this.retentionNanos = retention.toNanos();
        this.feed = feed;
        AtomicInteger threads = new AtomicInteger();
        this.delivery = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "job-stream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Subscribes {@code listener} to the output of {@code jobId}, from its first chunk. */
    public StreamSubscription subscribe(String jobId, JobStreamListener listener) {
        Stream stream = streams.computeIfAbsent(jobId, id -> new Stream());
        Subscriber subscriber = new Subscriber(listener, delivery);
        if (stream.add(subscriber)) {
            feed.follow(jobId);
        }
        return () -> {
            if (stream.remove(subscriber)) {
                feed.unfollow(jobId);
            }
            streams.computeIfPresent(jobId, (id, current) -> current.isAbandoned() ? null : current);
        };
    }

    /**
     * The next chunk of {@code jobId} as this node's dispatch released it from the Island, in order; a chunk at or
     * below one taken before is dropped.
     */
    public void chunk(StreamChunk chunk) {
        streams.computeIfAbsent(chunk.jobId(), id -> new Stream()).released(chunk);
    }

    /** This node dispatches {@code jobId}: its chunks come from the Island through here, none from elsewhere. */
    public void dispatching(String jobId) {
        if (streams.computeIfAbsent(jobId, id -> new Stream()).dispatching(System.nanoTime())) {
            feed.unfollow(jobId);
        }
    }

    /** A chunk of {@code jobId} that another node released and relayed live. */
    public void relayed(StreamChunk chunk) {
        Stream stream = streams.get(chunk.jobId());
        if (stream != null) {
            stream.chunk(chunk, true);
        }
    }

    /** A chunk of {@code jobId} from the history of the node that dispatched it. */
    public void fromHistory(StreamChunk chunk) {
        Stream stream = streams.get(chunk.jobId());
        if (stream != null) {
            stream.chunk(chunk, false);
        }
    }

    /**
     * What this node released of {@code jobId} from sequence number {@code from} on, at most {@code max} chunks;
     * empty when this node did not dispatch it (only the dispatching node holds a stream whole from its start) or no
     * longer holds all of it.
     */
    public Optional<List<StreamChunk>> released(String jobId, long from, int max) {
        Stream stream = streams.get(jobId);
        return stream == null ? Optional.empty() : stream.releasedFrom(from, max);
    }

    /** The history of {@code jobId} asked of another node came, or will not: its stream goes on without waiting. */
    public void historyReceived(String jobId) {
        Stream stream = streams.get(jobId);
        if (stream != null && stream.historyReceived(System.nanoTime())) {
            feed.unfollow(jobId);
        }
    }

    public void complete(String jobId, long units) {
        end(jobId, new Event(null, units, null, false));
    }

    public void fail(String jobId, String reason) {
        end(jobId, new Event(null, 0, reason, false));
    }

    /** Ends the job's stream: its bid expired before any Island took it; {@code reason} says so. */
    public void expire(String jobId, String reason) {
        end(jobId, new Event(null, 0, reason, true));
    }

    private void end(String jobId, Event end) {
        Stream stream = streams.computeIfAbsent(jobId, id -> new Stream());
        // a bid that expired was never run: no chunks are to come from anywhere
        boolean endedWaiting = end.expired() && stream.historyReceived(System.nanoTime());
        if (stream.finish(end, System.nanoTime()) || endedWaiting) {
            feed.unfollow(jobId);
        }
    }

    /** Forgets finished streams older than the retention; called on the bridge's clock tick. */
    public void sweep() {
        long now = System.nanoTime();
        streams.values().removeIf(stream -> stream.isExpired(now, retentionNanos));
    }

    /** How many job streams are held, finished or not. */
    public int size() {
        return streams.size();
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }

    /** A chunk, or the end: completed with units when {@code failure} is null, else failed or (its bid) expired. */
    private record Event(@Nullable StreamChunk chunk, long units, @Nullable String failure, boolean expired) {

        boolean isEnd() {
            return chunk == null;
        }
    }

    private static final class Stream {
        private final List<Event> history = new ArrayList<>();
        private final List<Subscriber> subscribers = new ArrayList<>();
        /** Chunks that came after a gap while the history from another node is awaited, by sequence number. */
        private final TreeMap<Long, StreamChunk> early = new TreeMap<>();
        private boolean finished;
        private long finishedAt;
        private long nextSeq;
        /** Whether the feed brings this stream's chunks from other nodes. */
        private boolean followed;
        /** Whether this node dispatched the job: its chunks came from the Island through this node. */
        private boolean dispatchedHere;
        /** Whether the chunks released before this node followed the job are still to come from another node. */
        private boolean awaitingHistory;
        /** The end, held back until the history came. */
        private @Nullable Event heldEnd;

        /** Returns true when the stream is to be followed from now on. */
        synchronized boolean add(Subscriber subscriber) {
            history.forEach(subscriber::offer);
            if (finished) {
                return false;
            }
            subscribers.add(subscriber);
            boolean follow = !followed;
            followed = true;
            if (follow && !dispatchedHere) {
                awaitingHistory = true;
            }
            return follow;
        }

        /** Returns true when the stream is no longer to be followed. */
        synchronized boolean remove(Subscriber subscriber) {
            subscribers.remove(subscriber);
            subscriber.stop();
            boolean unfollow = followed && subscribers.isEmpty() && !finished;
            if (unfollow) {
                followed = false;
                if (awaitingHistory) {
                    awaitingHistory = false;
                    drainEarly(true);
                    Event end = heldEnd;
                    heldEnd = null;
                    if (end != null) {
                        finish(end, System.nanoTime());
                    }
                }
            }
            return unfollow;
        }

        synchronized void released(StreamChunk chunk) {
            dispatchedHere = true;
            chunk(chunk, true);
        }

        /** Returns true when the stream ended while it waited for history, and is no longer to be followed. */
        synchronized boolean dispatching(long now) {
            dispatchedHere = true;
            return historyReceived(now);
        }

        /** Takes a chunk in order; a {@code live} one numbered 0 shows the stream was followed from its start. */
        synchronized void chunk(StreamChunk chunk, boolean live) {
            if (finished || chunk.seq() < nextSeq) {
                return;
            }
            if (chunk.seq() > nextSeq && awaitingHistory) {
                if (early.size() < MAX_PENDING) {
                    early.putIfAbsent(chunk.seq(), chunk);
                }
                return;
            }
            take(chunk);
            drainEarly(false);
            if (live && chunk.seq() == 0 && early.isEmpty()) {
                // followed from the start: there is no history to wait for
                awaitingHistory = false;
            }
        }

        private void take(StreamChunk chunk) {
            nextSeq = chunk.seq() + 1;
            Event event = new Event(chunk, 0, null, false);
            if (history.size() < MAX_HISTORY) {
                history.add(event);
            }
            subscribers.forEach(subscriber -> subscriber.offer(event));
        }

        /** Takes the early chunks that are next in order; all of them, over any gap, when {@code all}. */
        private void drainEarly(boolean all) {
            while (!early.isEmpty() && (all || early.firstKey() <= nextSeq)) {
                StreamChunk next = early.pollFirstEntry().getValue();
                if (next.seq() >= nextSeq) {
                    take(next);
                }
            }
        }

        /** Returns true when the stream ended while it waited, and is no longer to be followed. */
        synchronized boolean historyReceived(long now) {
            if (!awaitingHistory) {
                return false;
            }
            awaitingHistory = false;
            if (finished) {
                return false;
            }
            drainEarly(true);
            Event end = heldEnd;
            heldEnd = null;
            return end != null && finish(end, now);
        }

        synchronized Optional<List<StreamChunk>> releasedFrom(long from, int max) {
            if (!dispatchedHere || history.size() >= MAX_HISTORY) {
                return Optional.empty();
            }
            List<StreamChunk> chunks = new ArrayList<>();
            for (Event event : history) {
                if (chunks.size() >= max) {
                    break;
                }
                if (event.chunk() != null && event.chunk().seq() >= from) {
                    chunks.add(event.chunk());
                }
            }
            return Optional.of(chunks);
        }

        /** Returns true when the stream was followed until now. */
        synchronized boolean finish(Event end, long now) {
            if (finished) {
                return false;
            }
            if (awaitingHistory) {
                heldEnd = end;
                return false;
            }
            finished = true;
            finishedAt = now;
            history.add(end);
            subscribers.forEach(subscriber -> subscriber.offer(end));
            subscribers.clear();
            boolean unfollow = followed;
            followed = false;
            return unfollow;
        }

        synchronized boolean isAbandoned() {
            return !finished && subscribers.isEmpty() && history.isEmpty() && heldEnd == null;
        }

        synchronized boolean isExpired(long now, long retentionNanos) {
            return finished && now - finishedAt > retentionNanos;
        }
    }

    /** One listener with its own queue, drained serially on the shared pool. */
    private static final class Subscriber implements Runnable {
        private static final int BATCH = 256;

        private final JobStreamListener listener;
        private final ExecutorService pool;
        private final ArrayDeque<Event> pending = new ArrayDeque<>();
        private boolean scheduled;
        private boolean stopped;

        Subscriber(JobStreamListener listener, ExecutorService pool) {
            this.listener = listener;
            this.pool = pool;
        }

        synchronized void offer(Event event) {
            if (stopped) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                pending.clear();
                pending.add(new Event(null, 0, "the subscriber fell more than " + MAX_PENDING + " events behind",
                        false));
                stopped = true;
            } else {
                pending.add(event);
                if (event.isEnd()) {
                    stopped = true;
                }
            }
            if (!scheduled) {
                scheduled = true;
                pool.execute(this);
            }
        }

        synchronized void stop() {
            stopped = true;
            pending.clear();
        }

        @Override
        public void run() {
            for (int delivered = 0; delivered < BATCH; delivered++) {
                Event event;
                synchronized (this) {
                    event = pending.poll();
                    if (event == null) {
                        scheduled = false;
                        return;
                    }
                }
                deliver(event);
            }
            // Yield the thread after a batch so a long stream cannot monopolise it; the rest goes on next turn.
            pool.execute(this);
        }

        private void deliver(Event event) {
            try {
                if (event.chunk() != null) {
                    listener.onChunk(event.chunk());
                } else if (event.failure() == null) {
                    listener.onCompleted(event.units());
                } else if (event.expired()) {
                    listener.onExpired(event.failure());
                } else {
                    listener.onFailed(event.failure());
                }
            } catch (RuntimeException listenerFailed) {
                stop();
            }
        }
    }
}
