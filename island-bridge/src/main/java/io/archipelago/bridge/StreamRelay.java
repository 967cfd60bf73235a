package io.archipelago.bridge;

import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.StreamFeed;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries job output between coordinator nodes over NATS: the node that dispatched a job republishes each chunk it
 * released on the job's {@link Subjects#output} subject, and a node whose clients follow the job subscribes to that
 * subject while they do. The end of a stream is not relayed: every node hears it from the market's events.
 */
final class StreamRelay implements StreamFeed {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);

    private final Connection nats;
    private final Dispatcher incoming;
    private final Map<String, String> followed = new ConcurrentHashMap<>();

    /** A relay that hands the chunks it hears to {@code sink}. */
    StreamRelay(Connection nats, Consumer<StreamChunk> sink) {
        this.nats = nats;
        this.incoming = nats.createDispatcher(message -> {
            try {
                JobOutput output = Codec.decode(message.getData(), JobOutput.class);
                if (output.kind() == JobOutput.Kind.CHUNK && output.body() != null) {
                    sink.accept(new StreamChunk(output.jobId(), output.seq(), output.body()));
                }
            } catch (RejectedMessage | IllegalArgumentException unreadable) {
                LOG.warn("unreadable relayed output on {}: {}", message.getSubject(), unreadable.getMessage());
            }
        });
    }

    /** Republishes a chunk this node released, for whichever node follows its job. */
    void publish(StreamChunk chunk) {
        JobOutput output = chunk.payload() instanceof Payloads.TextDelta text
                ? JobOutput.chunk(chunk.jobId(), chunk.seq(), text.delta())
                : JobOutput.chunk(chunk.jobId(), chunk.seq(), chunk.payload());
        nats.publish(Subjects.output(chunk.jobId()), Codec.encode(output));
    }

    @Override
    public void follow(String jobId) {
        followed.computeIfAbsent(jobId, id -> {
            String subject = Subjects.output(id);
            incoming.subscribe(subject);
            return subject;
        });
    }

    @Override
    public void unfollow(String jobId) {
        String subject = followed.remove(jobId);
        if (subject != null) {
            incoming.unsubscribe(subject);
        }
    }

    void close() {
        nats.closeDispatcher(incoming);
    }
}
