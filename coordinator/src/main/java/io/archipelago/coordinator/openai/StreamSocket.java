package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.InputTooLarge;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.command.web.Commands;
import io.archipelago.access.Principal;
import io.archipelago.coordinator.cache.InferenceCache;
import io.archipelago.exchange.ids.AccountId;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The OpenAI door over one WebSocket, {@code /v1/ws}: each text message is one request,
 * {@code {"type": "chat.completions" | "embeddings" | "images.generations", "request_id": "...", "request": {...}}}
 * with the same body as the HTTP endpoint, and its answer comes back as frames carrying the same {@code request_id}:
 * the {@code chat.completion.chunk} objects of the SSE stream one per frame (or one {@code list} of embeddings, or
 * the {@code progress} and {@code image_generation.completed} events of a streamed image request), then
 * {@code {"type": "done"}}, or an {@code {"type": "error", "error": {...}}} frame in OpenAI's error shape. Several
 * requests run at once on one socket. A message that is not such a request gets an error frame and the socket stays
 * open; a closed socket lets go of its jobs.
 */
final class StreamSocket extends TextWebSocketHandler implements AutoCloseable {

    static final String CHAT = "chat.completions";
    static final String EMBEDDINGS = "embeddings";
    static final String IMAGES = "images.generations";

    private static final Logger LOG = LoggerFactory.getLogger(StreamSocket.class);
    private static final int SEND_TIME_LIMIT_MILLIS = 10_000;
    private static final int SEND_BUFFER_LIMIT_BYTES = 16 * 1024 * 1024;

    private final JobDesk desk;
    private final BidTermsResolver terms;
    private final EmbeddingJobs embeddings;
    private final CachedCompletions cache;
    private final ImageJobs images;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, SocketConversation> conversations = new ConcurrentHashMap<>();
    // placing a job waits for the market, up to the resting wait: never on the socket's own thread
    private final ExecutorService placements;

    StreamSocket(JobDesk desk, BidTermsResolver terms, EmbeddingJobs embeddings, CachedCompletions cache,
                 ImageJobs images, ObjectMapper json, Clock clock, int maxPlacements) {
        this.desk = desk;
        this.terms = terms;
        this.embeddings = embeddings;
        this.cache = cache;
        this.images = images;
        this.json = json;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.placements = new ThreadPoolExecutor(0, maxPlacements, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "openai-socket-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        WebSocketSession concurrent = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS,
                SEND_BUFFER_LIMIT_BYTES);
        conversations.put(session.getId(), new SocketConversation(concurrent, json));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        SocketConversation conversation = conversations.remove(session.getId());
        if (conversation != null) {
            conversation.close();
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        SocketConversation conversation = conversations.get(session.getId());
        Object account = session.getAttributes().get(Principal.ACCOUNT_ATTRIBUTE);
        if (conversation == null || !(account instanceof AccountId consumer)) {
            return;
        }
        JsonNode frame;
        try {
            frame = json.readTree(message.getPayload());
        } catch (JsonProcessingException notJson) {
            conversation.error(null, invalid("invalid_json", "the message is not valid JSON"));
            return;
        }
        @Nullable String requestId = frame != null && frame.path("request_id").isTextual()
                ? frame.path("request_id").asText() : null;
        if (frame == null || !frame.isObject() || !frame.path("request").isObject()) {
            conversation.error(requestId, invalid("invalid_request",
                    "a message is {\"type\": \"chat.completions\" | \"embeddings\" | \"images.generations\", "
                            + "\"request_id\": \"...\", \"request\": {...}}"));
            return;
        }
        String type = frame.path("type").asText("");
        if (!type.equals(CHAT) && !type.equals(EMBEDDINGS) && !type.equals(IMAGES)) {
            conversation.error(requestId, invalid("invalid_type", "`type` is \"chat.completions\", \"embeddings\" "
                    + "or \"images.generations\", got " + frame.path("type")));
            return;
        }
        if (!conversation.begin(requestId)) {
            conversation.error(requestId, invalid("request_in_flight", "request_id " + requestId + " is still "
                    + "running on this socket, or " + SocketConversation.MAX_IN_FLIGHT + " requests are"));
            return;
        }
        JsonNode request = frame.path("request");
        HttpHeaders headers = session.getHandshakeHeaders();
        try {
            placements.execute(() -> serve(conversation, type, requestId, request, consumer, headers));
        } catch (RejectedExecutionException busy) {
            conversation.end(requestId, null);
            conversation.error(requestId, new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error",
                    "unavailable", "the coordinator is placing too many jobs now; try again"));
        }
    }

    private void serve(SocketConversation conversation, String type, @Nullable String requestId, JsonNode request,
                       AccountId account, HttpHeaders headers) {
        try {
            if (type.equals(CHAT)) {
                chat(conversation, requestId, request, account, headers);
            } else if (type.equals(IMAGES)) {
                generate(conversation, requestId, request, account, headers);
            } else {
                embed(conversation, requestId, request, account, headers);
            }
        } catch (OpenAiException refused) {
            conversation.end(requestId, null);
            conversation.error(requestId, refused);
        } catch (InputTooLarge refused) {
            conversation.end(requestId, null);
            conversation.error(requestId, OpenAiException.of(refused));
        } catch (RuntimeException failed) {
            // never a bare failure: the client gets a retryable error in OpenAI's shape, the log keeps the cause
            LOG.warn("OpenAI WebSocket request failed", failed);
            conversation.end(requestId, null);
            conversation.error(requestId, new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error",
                    "unavailable", "the exchange could not serve this request now: "
                    + failed.getClass().getSimpleName()));
        }
    }

    /** Streams always: the socket is the stream, whatever {@code stream} says. */
    private void chat(SocketConversation conversation, @Nullable String requestId, JsonNode request,
                      AccountId account, HttpHeaders headers) {
        ChatRequest chat = ChatRequest.of(request);
        desk.requireModel(chat.model());
        BidTerms bid = terms.resolve(account, headers, request);
        String jobId = "chatcmpl-" + UUID.randomUUID();
        CompletionRelay relay = new CompletionRelay(json, jobId, chat.model(), clock.instant().getEpochSecond(),
                chat.promptTokens(), chat.includeUsage(), desk.bidTtl(),
                new SocketEmitter(conversation, json, requestId, jobId));
        InferenceCache.Lookup lookup = cache.lookup(account, chat.model(), request, headers);
        if (cache.answer(account, jobId, lookup, relay) != null) {
            conversation.end(requestId, null);
            return;
        }
        relay.onGone(tokens -> desk.cancel(chat.model(), jobId, tokens, "the WebSocket closed"));
        StreamSubscription subscription = desk.place(jobId, chat.model(), account, bid, chat.input(json), relay);
        relay.begin();
        // a socket that closes first leaves the job: it is cancelled at the tokens sent so far
        conversation.hold(jobId, () -> {
            relay.left();
            subscription.close();
        });
        cache.keepWhenCompleted(account, lookup, chat.model(), chat, jobId, relay);
        relay.finished().whenComplete((units, failure) -> {
            subscription.close();
            conversation.end(requestId, jobId);
        });
    }

    /**
     * Streams always, as a streamed HTTP request: {@code progress} and {@code image_generation.completed} frames, then
     * {@code done}; images come as {@code b64_json} unless {@code response_format} is {@code url}.
     */
    private void generate(SocketConversation conversation, @Nullable String requestId, JsonNode request,
                          AccountId account, HttpHeaders headers) {
        ImageRequest image = ImageRequest.of(request);
        String jobId = "img-" + UUID.randomUUID();
        // the address the socket was opened at; archipelago.images.public-url overrides it
        String base = headers.getFirst(HttpHeaders.HOST) == null ? "" : "http://" + headers.getFirst(HttpHeaders.HOST);
        ImageRelay relay = images.place(jobId, image, request, account, headers, base,
                new ImageRelay.Sink() {
                    @Override
                    public boolean event(String type, ObjectNode data) {
                        conversation.send(type, requestId, data);
                        return true;
                    }

                    @Override
                    public void error(OpenAiException failure) {
                        conversation.error(requestId, failure);
                    }

                    @Override
                    public void beat() {
                    }

                    @Override
                    public void end() {
                        conversation.done(requestId, jobId);
                    }
                });
        conversation.hold(jobId, relay::left);
        relay.finished().whenComplete((units, failure) -> conversation.end(requestId, jobId));
    }

    /** One {@code list} frame with every vector, as the HTTP endpoint answers, then {@code done}. */
    private void embed(SocketConversation conversation, @Nullable String requestId, JsonNode request,
                       AccountId account, HttpHeaders headers) {
        String jobId = "emb-" + UUID.randomUUID();
        EmbeddingRelay relay = embeddings.place(jobId, request, account, headers);
        conversation.hold(jobId, () -> {
            if (relay.finished().completeExceptionally(new OpenAiException(HttpStatus.GONE, "invalid_request_error",
                    "socket_closed", "the WebSocket closed"))) {
                desk.cancel(request.path("model").asText(), jobId, 0, "the WebSocket closed");
            }
        });
        relay.finished().whenComplete((response, failure) -> {
            conversation.end(requestId, jobId);
            if (failure != null) {
                conversation.error(requestId, failure(failure));
                return;
            }
            conversation.send(EMBEDDINGS, requestId, response);
            conversation.done(requestId, jobId);
        });
    }

    private static OpenAiException failure(Throwable failure) {
        RuntimeException cause = Commands.unwrap(failure);
        return cause instanceof OpenAiException openAi ? openAi : new OpenAiException(HttpStatus.BAD_GATEWAY,
                "server_error", "island_failed", "the job failed: " + cause.getClass().getSimpleName());
    }

    private static OpenAiException invalid(String code, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", code, message);
    }

    @Override
    public void close() {
        placements.shutdownNow();
    }
}
