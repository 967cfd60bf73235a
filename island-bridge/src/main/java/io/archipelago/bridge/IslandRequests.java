package io.archipelago.bridge;

import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request/reply with Islands whose answers come back on the Island's own subjects ({@link Subjects#reply}) rather
 * than the coordinator's inbox: an Island then needs no permission beyond its own subjects, and nothing depends on
 * the reply permissions NATS drops whenever its configuration is reloaded (as it is each time an Island is
 * admitted). An answer is taken only from the Island that was asked; anything else on a reply subject is refused
 * and counted. When nobody of the Island listens, the server says so at once ("no responders") and the request
 * fails without waiting out its timeout.
 */
final class IslandRequests {

    private final Connection nats;
    private final Rejections rejections;
    private final String node;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private record Pending(String islandId, CompletableFuture<Message> answer) {
    }

    /** Requests of coordinator node {@code node}, whose answers come on {@link Subjects#replies}. */
    IslandRequests(Connection nats, Rejections rejections, String node) {
        this.nats = nats;
        this.rejections = rejections;
        this.node = node;
    }

    /** Where the answers to this node's requests come. */
    String replies() {
        return Subjects.replies(node);
    }

    /** Sends {@code body} to {@code subject} of {@code islandId}; the answer, or a timeout after {@code timeout}. */
    CompletableFuture<Message> request(String islandId, String subject, byte[] body, Duration timeout) {
        long id = ids.incrementAndGet();
        CompletableFuture<Message> answer = new CompletableFuture<>();
        pending.put(id, new Pending(islandId, answer));
        nats.publish(subject, Subjects.reply(islandId, node, id), body);
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((reply, failure) -> pending.remove(id));
    }

    /** A message on {@link #replies}. */
    void replied(Message message) {
        String subject = message.getSubject();
        String island = Subjects.islandOfReply(subject);
        Pending asked = null;
        try {
            asked = pending.get(Long.parseLong(subject.substring(subject.lastIndexOf('.') + 1)));
        } catch (NumberFormatException notOurs) {
            // refused below
        }
        if (asked == null || !asked.islandId().equals(island)) {
            rejections.count(subject, new RejectedMessage(RejectedMessage.Reason.UNEXPECTED,
                    "an answer nobody asked " + island + " for"));
            return;
        }
        if (message.isStatusMessage()) {
            // the server's "no responders" status: nobody of the Island is subscribed, so no answer will come
            asked.answer().completeExceptionally(new IllegalStateException("the island is not listening ("
                    + message.getStatus().getCode() + " " + message.getStatus().getMessage() + ")"));
            return;
        }
        asked.answer().complete(message);
    }
}
