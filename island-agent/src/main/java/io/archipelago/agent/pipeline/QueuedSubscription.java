package io.archipelago.agent.pipeline;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A subscription to one subject read one message at a time, as a synchronous one is, but delivered through a
 * dispatcher of its own. jnats (2.22) reads a synchronous subscription's queue twice while it delivers a message, and
 * an unsubscribe between the two reads fails the connection's reader with a {@code NullPointerException}: the
 * connection reconnects and whatever was in flight on it (a job offer, its answer) is lost. A dispatcher's queue is
 * never taken away while it delivers, so closing this while messages still arrive (a late echo, a hop of a job that
 * ended) leaves the connection alone.
 */
public final class QueuedSubscription implements AutoCloseable {

    private final Connection nats;
    private final Dispatcher dispatcher;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    private QueuedSubscription(Connection nats, String subject) {
        this.nats = nats;
        this.dispatcher = nats.createDispatcher(received::offer);
        dispatcher.subscribe(subject);
    }

    /** Subscribes to {@code subject} on {@code nats}; messages wait here until read. */
    public static QueuedSubscription open(Connection nats, String subject) {
        return new QueuedSubscription(nats, subject);
    }

    /** The next message, waiting at most {@code wait}; null when none came. */
    public @Nullable Message nextMessage(Duration wait) throws InterruptedException {
        return received.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        nats.closeDispatcher(dispatcher);
    }
}
