package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.access.Principal;
import io.archipelago.exchange.account.api.HoldRefused;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.batch.api.BatchId;
import io.archipelago.exchange.batch.api.SubmitBatch;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.projections.batch.BatchProgressView;
import io.archipelago.projections.batch.BatchItemView;
import io.archipelago.projections.batch.BatchView;
import io.archipelago.projections.batch.BatchViews;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Batches of chat or embeddings requests: {@code POST /batches} with {@code model}, {@code inputs} (up to
 * {@value Batches#MAX_INPUTS} chat request bodies, each with its {@code messages} and optionally {@code max_tokens}, or
 * on an embeddings Cargo embeddings request bodies, each with its {@code input}) and the bid terms of a single
 * request ({@code X-Archipelago-*} headers or body fields, see {@link BidTermsResolver}), which apply to every item.
 * The batch is submitted to the event store ({@link SubmitBatch}), where {@link Batches} drives it, each item becoming
 * its own job, at most {@code archipelago.batches.max-attempts} attempts each; it is answered 202 at once with its id.
 * {@code GET /batches/{id}} shows the batch and each item (status, Island, attempts, units, cost) and, once it ended,
 * the results in input order (an embeddings item's is OpenAI's embeddings response); {@code GET /batches/{id}/events}
 * streams its progress. Both read the batch read model,
 * on any node. A batch is its account's only: for any other key it is 404. Errors are RFC 7807 problems with a
 * {@code code}.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class BatchController {

    private static final long STREAM_TIMEOUT_MILLIS = 60 * 60 * 1000L;
    /** The most texts one embeddings item embeds: its vectors are kept in the batch's events. */
    static final int MAX_ITEM_TEXTS = 16;
    /** How long a submission waits for the read model to show the new batch before it answers from what it sent. */
    private static final Duration PROJECTED = Duration.ofSeconds(10);

    private final CommandGateway commands;
    private final BatchViews views;
    private final ProgressStream stream;
    private final IslandBridge bridge;
    private final BidTermsResolver terms;
    private final KnownModels models;
    private final EmbeddingModels embeddings;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;

    BatchController(CommandGateway commands, BatchViews views, ProgressStream stream, IslandBridge bridge,
                    BidTermsResolver terms, KnownModels models, EmbeddingModels embeddings, ObjectMapper json,
                    Clock clock,
                    @Value("${archipelago.batches.max-attempts:3}") int maxAttempts) {
        this.commands = commands;
        this.views = views;
        this.stream = stream;
        this.bridge = bridge;
        this.terms = terms;
        this.models = models;
        this.embeddings = embeddings;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    @PostMapping(path = "/batches")
    ResponseEntity<ObjectNode> create(@RequestBody JsonNode body,
                                      @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                                      @Nullable AccountId account,
                                      @RequestHeader HttpHeaders headers) {
        AccountId owner = required(account);
        if (!body.isObject()) {
            throw invalid("invalid_request", "the request body is a JSON object");
        }
        String model = body.path("model").asText("");
        if (model.isBlank() || models.find(model).isEmpty()) {
            throw invalid("unknown_model", "`model` names a Cargo type on the exchange (GET /v1/models lists them), "
                    + "got '" + model + "'");
        }
        if (bridge.pipelineOf(model).isPresent()) {
            throw invalid("pipeline_not_batched", "`" + model + "` runs as a pipeline of stages, which batches do not "
                    + "place yet: send its requests to /v1/embeddings one by one");
        }
        List<ObjectNode> inputs = inputs(body.path("inputs"), model);
        BidTerms bid;
        try {
            bid = terms.resolve(owner, headers, body);
        } catch (OpenAiException refused) {
            throw new BatchProblem(refused.status(), "invalid_bid_terms", refused.getMessage());
        }
        requireWholeWorstCase(bid, inputs.size());
        BatchId id = new BatchId("batch-" + UUID.randomUUID());
        Instant at = clock.instant();
        try {
            // the batch holds its worst case (every item at limit x maximum units) in the same unit of work
            commands.sendAndWait(new SubmitBatch(id, owner, new CargoType(model), bid.forItems(),
                    inputs.stream().map(ObjectNode::toString).toList(), maxAttempts, at));
        } catch (HoldRefused refused) {
            throw new BatchProblem(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits", refused.getMessage());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/batches/" + id))
                .body(view(projected(id.value(), owner).orElseGet(() -> submitted(id.value(), owner, model,
                        inputs.size(), at))));
    }

    @GetMapping(path = "/batches/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode batch(@PathVariable String id,
                     @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                     @Nullable AccountId account) {
        return view(find(id, required(account)));
    }

    @GetMapping(path = "/batches/{id}/events")
    ResponseEntity<ResponseBodyEmitter> progress(@PathVariable String id,
                                                 @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                                                 @Nullable AccountId account) {
        find(id, required(account));
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(STREAM_TIMEOUT_MILLIS);
        stream.subscribe(seq -> views.progress(id, seq).stream()
                .map(event -> new ProgressStream.Event(event.seq(), event.type(), event.data())).toList(),
                BatchProgressView.LAST, emitter, LiveJobProgress.ofBatch(bridge.streams(), json));
        return ResponseEntity.ok().cacheControl(CacheControl.noCache())
                .contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
    }

    /**
     * Each input as the job input of a request on {@code model}: a chat request, or on an embeddings Cargo an
     * embeddings request ({@code input}: a text or up to {@value #MAX_ITEM_TEXTS} texts); any malformed one refuses the
     * whole batch.
     */
    private List<ObjectNode> inputs(JsonNode inputs, String model) {
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw invalid("empty_batch", "`inputs` is a non-empty array of requests: chat requests with their "
                    + "`messages`, or on an embeddings model embeddings requests with their `input`");
        }
        if (inputs.size() > Batches.MAX_INPUTS) {
            throw invalid("too_many_inputs", "a batch has at most " + Batches.MAX_INPUTS + " inputs, got "
                    + inputs.size());
        }
        List<ObjectNode> jobs = new ArrayList<>(inputs.size());
        for (int index = 0; index < inputs.size(); index++) {
            JsonNode input = inputs.get(index);
            if (!input.isObject()) {
                throw invalid("invalid_input", "inputs[" + index + "] is a chat request object with `messages`");
            }
            ObjectNode request = ((ObjectNode) input).deepCopy().put("model", model);
            try {
                jobs.add(embeddings.isEmbeddings(model) ? embeddingsInput(request) : ChatRequest.of(request)
                        .input(json));
            } catch (OpenAiException malformed) {
                throw invalid("invalid_input", "inputs[" + index + "]: " + malformed.getMessage());
            }
        }
        return jobs;
    }

    /** An embeddings item's job input, checked as {@code /v1/embeddings} checks a request. */
    private ObjectNode embeddingsInput(ObjectNode request) {
        EmbeddingsRequest embedding = EmbeddingsRequest.of(request);
        embeddings.check(embedding);
        if (embedding.texts().size() > MAX_ITEM_TEXTS) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "too_many_texts",
                    "a batch item embeds at most " + MAX_ITEM_TEXTS + " texts, got " + embedding.texts().size()
                            + ": spread them over more items");
        }
        if (embedding.base64()) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_encoding_format",
                    "a batch's vectors are given as floats: leave `encoding_format` out or make it \"float\"");
        }
        return embedding.input(json);
    }

    /** The whole batch's worst case (every item at limit × maximum units) is a micro-credit amount. */
    private void requireWholeWorstCase(BidTerms bid, int items) {
        try {
            Math.multiplyExact(Math.multiplyExact(bid.limitMicroCredits(), bid.maxUnits()), items);
        } catch (ArithmeticException overflow) {
            throw invalid("invalid_bid_terms", "limit x maximum units x inputs overflows a micro-credit amount");
        }
    }

    private BatchView find(String id, AccountId account) {
        return views.find(id, account.value()).orElseThrow(() -> new BatchProblem(HttpStatus.NOT_FOUND,
                "batch_not_found", "no batch " + id + " of this account"));
    }

    /** The batch just submitted once the read model shows it, so that reading it next finds it. */
    private Optional<BatchView> projected(String id, AccountId account) {
        long deadline = System.nanoTime() + PROJECTED.toNanos();
        Optional<BatchView> batch = views.find(id, account.value());
        while (batch.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            batch = views.find(id, account.value());
        }
        return batch;
    }

    /** The batch as submitted, every item queued: what the read model will show of it. */
    private static BatchView submitted(String id, AccountId account, String model, int total, Instant at) {
        return new BatchView(id, account.value(), model, "running", total, 0, 0, 0, at, null, IntStream.range(0, total)
                .mapToObj(index -> new BatchItemView(index, "queued", null, null, 0, null, null, List.of(), null, null))
                .toList());
    }

    private ObjectNode view(BatchView batch) {
        ObjectNode view = json.createObjectNode().put("id", batch.id()).put("object", "batch")
                .put("model", batch.model()).put("status", batch.status()).put("total", batch.total());
        view.put("completed", batch.completed()).put("failed", batch.failed())
                .put("cost_micro_credits", batch.costMicroCredits())
                .put("created_at", batch.createdAt().toString())
                .put("finished_at", batch.finishedAt() == null ? null : batch.finishedAt().toString());
        ArrayNode items = view.putArray("items");
        for (BatchItemView item : batch.items()) {
            ObjectNode row = items.addObject().put("index", item.index()).put("status", item.status())
                    .put("job_id", item.jobId()).put("island", item.islandId()).put("attempts", item.attempts())
                    .put("units", item.units()).put("cost_micro_credits", item.costMicroCredits());
            row.set("failed_on", json.valueToTree(item.failedOn()));
            row.put("reason", item.reason());
        }
        if (batch.finishedAt() != null) {
            ArrayNode results = view.putArray("results");
            boolean vectors = embeddings.isEmbeddings(batch.model());
            for (BatchItemView item : batch.items()) {
                if (vectors) {
                    results.add(embeddingsResult(item.result()));
                } else {
                    results.add(item.result());
                }
            }
        }
        view.putObject("links").put("self", "/batches/" + batch.id())
                .put("events", "/batches/" + batch.id() + "/events");
        return view;
    }

    /** An embeddings item's result, OpenAI's embeddings response; null when it has none. */
    private JsonNode embeddingsResult(@Nullable String result) {
        if (result == null) {
            return json.nullNode();
        }
        try {
            return json.readTree(result);
        } catch (JsonProcessingException unreadable) {
            return json.getNodeFactory().textNode(result);
        }
    }

    private static AccountId required(@Nullable AccountId account) {
        if (account == null) {
            throw new BatchProblem(HttpStatus.UNAUTHORIZED, "invalid_api_key",
                    "batches belong to accounts: send Authorization: Bearer <the account's API key>");
        }
        return account;
    }

    private static BatchProblem invalid(String code, String detail) {
        return new BatchProblem(HttpStatus.BAD_REQUEST, code, detail);
    }
}
