package io.archipelago.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.StreamFeed;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries job output between coordinator nodes over NATS: the node that dispatched a job republishes each chunk it
 * released on the job's {@link Subjects#output} subject, and a node whose clients follow the job subscribes to that
 * subject while they do. A node that starts following a job also asks, on {@link Subjects#outputHistory}, for what
 * was released before: every node hears those requests and only the one that dispatched the job answers, a page of
 * chunks at a time, so a client that joins late on another node still gets the stream from its first chunk. The end
 * of a stream is not relayed: every node hears it from the market's events.
 */
final class StreamRelay implements StreamFeed {

    /** How long a node waits for another to answer a history request; a job nobody dispatched yet gets none. */
    static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(2);
    /** The most chunks one history page holds; fewer when their encoding would exceed {@link #PAGE_BYTES}. */
    static final int PAGE_CHUNKS = 1_000;
    private static final int PAGE_BYTES = 192 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);

    /** What this node released of a job from a sequence number on, when it dispatched the job. */
    interface History {
        Optional<List<StreamChunk>> released(String jobId, long from, int max);
    }

    /** One page of a job's released chunks; {@code more} when the next page should be asked for. */
    private record HistoryPage(List<JobOutput> chunks, boolean more) {
    }

    private final Connection nats;
    private final Consumer<StreamChunk> sink;
    private final Consumer<StreamChunk> historySink;
    private final Consumer<String> historyReceived;
    private final History history;
    private final Dispatcher incoming;
    private final Dispatcher historyRequests;
    private final Map<String, String> followed = new ConcurrentHashMap<>();

    /**
     * A relay that hands the chunks it hears live to {@code sink} and those of history to {@code historySink}, tells
     * {@code historyReceived} when a job's history came or will not, and answers other nodes' history requests from
     * {@code history}.
     */
    StreamRelay(Connection nats, Consumer<StreamChunk> sink, Consumer<StreamChunk> historySink,
                Consumer<String> historyReceived, History history) {
        this.nats = nats;
        this.sink = sink;
        this.historySink = historySink;
        this.historyReceived = historyReceived;
        this.history = history;
        this.incoming = nats.createDispatcher(message -> {
            try {
                take(Codec.decode(message.getData(), JobOutput.class), sink);
            } catch (RejectedMessage | IllegalArgumentException unreadable) {
                LOG.warn("unreadable relayed output on {}: {}", message.getSubject(), unreadable.getMessage());
            }
        });
        this.historyRequests = nats.createDispatcher(this::answer);
        historyRequests.subscribe(Subjects.ALL_OUTPUT_HISTORY);
    }

    private static void take(JobOutput output, Consumer<StreamChunk> to) {
        if (output.kind() == JobOutput.Kind.CHUNK && output.body() != null) {
            to.accept(new StreamChunk(output.jobId(), output.seq(), output.body()));
        }
    }

    /** Republishes a chunk this node released, for whichever node follows its job. */
    void publish(StreamChunk chunk) {
        nats.publish(Subjects.output(chunk.jobId()), Codec.encode(toOutput(chunk)));
    }

    private static JobOutput toOutput(StreamChunk chunk) {
        return chunk.payload() instanceof Payloads.TextDelta text
                ? JobOutput.chunk(chunk.jobId(), chunk.seq(), text.delta())
                : JobOutput.chunk(chunk.jobId(), chunk.seq(), chunk.payload());
    }

    @Override
    public void follow(String jobId) {
        boolean[] first = {false};
        followed.computeIfAbsent(jobId, id -> {
            String subject = Subjects.output(id);
            incoming.subscribe(subject);
            first[0] = true;
            return subject;
        });
        if (first[0]) {
            askForHistory(jobId, 0);
        }
    }

    @Override
    public void unfollow(String jobId) {
        String subject = followed.remove(jobId);
        if (subject != null) {
            incoming.unsubscribe(subject);
        }
    }

    private void askForHistory(String jobId, long from) {
        nats.requestWithTimeout(Subjects.outputHistory(jobId), Long.toString(from).getBytes(StandardCharsets.US_ASCII),
                        HISTORY_TIMEOUT)
                .whenComplete((reply, failure) -> {
                    HistoryPage page = failure == null ? page(jobId, reply) : null;
                    if (page == null) {
                        historyReceived.accept(jobId);
                        return;
                    }
                    page.chunks().forEach(chunk -> take(chunk, historySink));
                    if (page.more() && !page.chunks().isEmpty()) {
                        askForHistory(jobId, page.chunks().get(page.chunks().size() - 1).seq() + 1);
                    } else {
                        historyReceived.accept(jobId);
                    }
                });
    }

    private static @Nullable HistoryPage page(String jobId, @Nullable Message reply) {
        if (reply == null || reply.isStatusMessage()) {
            return null;
        }
        try {
            // each chunk is read as the protocol's codec wrote it, with the checks of any other output
            JsonNode page = Codec.json().readTree(reply.getData());
            List<JobOutput> chunks = new ArrayList<>();
            for (JsonNode chunk : page.path("chunks")) {
                JobOutput output = Codec.decode(Codec.json().writeValueAsBytes(chunk), JobOutput.class);
                if (!output.jobId().equals(jobId)) {
                    return null;
                }
                chunks.add(output);
            }
            return new HistoryPage(chunks, page.path("more").asBoolean(false));
        } catch (IOException | RejectedMessage | IllegalArgumentException unreadable) {
            LOG.warn("unreadable stream history of job {}: {}", jobId, unreadable.getMessage());
            return null;
        }
    }

    /** Answers another node's history request when this node dispatched the job; stays silent otherwise. */
    private void answer(Message request) {
        String jobId = Subjects.jobOfOutputHistory(request.getSubject());
        if (jobId == null || request.getReplyTo() == null) {
            return;
        }
        long from;
        try {
            from = Math.max(0, Long.parseLong(new String(request.getData(), StandardCharsets.US_ASCII).trim()));
        } catch (NumberFormatException malformed) {
            return;
        }
        Optional<List<StreamChunk>> released = history.released(jobId, from, PAGE_CHUNKS);
        if (released.isEmpty()) {
            return;
        }
        ObjectNode page = Codec.json().createObjectNode();
        ArrayNode chunks = page.putArray("chunks");
        int bytes = 0;
        boolean more = released.get().size() == PAGE_CHUNKS;
        try {
            for (StreamChunk chunk : released.get()) {
                byte[] encoded = Codec.encode(toOutput(chunk));
                if (!chunks.isEmpty() && bytes + encoded.length > PAGE_BYTES) {
                    more = true;
                    break;
                }
                chunks.add(Codec.json().readTree(encoded));
                bytes += encoded.length;
            }
            page.put("more", more);
            nats.publish(request.getReplyTo(), Codec.json().writeValueAsBytes(page));
        } catch (IOException unwritable) {
            LOG.warn("could not write the stream history of job {}: {}", jobId, unwritable.getMessage());
        }
    }

    void close() {
        nats.closeDispatcher(incoming);
        nats.closeDispatcher(historyRequests);
    }
}
