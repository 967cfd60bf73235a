package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.command.market.BidBatcher;
import io.archipelago.command.web.Commands;
import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.CargoType;
import io.archipelago.exchange.market.api.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * OpenAI's chat completions and models over the exchange: {@code model} names a Cargo type, each request becomes one
 * bid of the key's account (through the {@link BidBatcher}) whose job gets the request's {@code messages} (and
 * {@code max_tokens}) as input, and the Island's chunks are relayed as they come ({@code stream: true}) or gathered
 * into one {@code chat.completion}.
 *
 * <p>Bid terms a standard client cannot say come from extra body fields or headers (the header wins):
 * {@code limit_micro_credits} / {@code X-Archipelago-Limit}, {@code max_units} / {@code X-Archipelago-Max-Units},
 * {@code jurisdiction} / {@code X-Archipelago-Jurisdiction} (absent: the account's region). A bid that no Island can
 * take at once may rest only {@code archipelago.openai.resting-wait} (its time to live), and the request is answered
 * {@code no_eligible_island} when nothing started it by then.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class ChatCompletionsController {

    private static final long STREAM_TIMEOUT_MILLIS = 15 * 60 * 1000L;
    private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(15);

    private final BidBatcher batcher;
    private final IslandBridge bridge;
    private final MarketViews markets;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration restingWait;
    private final long defaultLimit;
    private final long defaultMaxUnits;

    ChatCompletionsController(BidBatcher batcher, IslandBridge bridge, MarketViews markets, ObjectMapper json,
                              Clock clock,
                              @Value("${archipelago.openai.resting-wait:3s}") Duration restingWait,
                              @Value("${archipelago.openai.default-limit-micro-credits:5000}") long defaultLimit,
                              @Value("${archipelago.openai.default-max-units:10}") long defaultMaxUnits) {
        this.batcher = batcher;
        this.bridge = bridge;
        this.markets = markets;
        this.json = json;
        this.clock = clock;
        this.restingWait = restingWait;
        this.defaultLimit = defaultLimit;
        this.defaultMaxUnits = defaultMaxUnits;
    }

    /** Every registered Cargo type as a model, with its last market rate per unit when one was cleared. */
    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode models() {
        ObjectNode list = json.createObjectNode().put("object", "list");
        var data = list.putArray("data");
        for (MarketView market : markets.all()) {
            ObjectNode model = data.addObject().put("id", market.cargo()).put("object", "model")
                    .put("created", market.openedAt().getEpochSecond()).put("owned_by", market.publisher())
                    .put("unit", market.unit());
            model.put("market_rate_micro_credits", market.lastRateMicroCredits());
            model.put("best_ask_micro_credits", market.bestAskMicroCredits());
        }
        return list;
    }

    @PostMapping(path = "/v1/chat/completions")
    ResponseEntity<ResponseBodyEmitter> chat(@RequestBody JsonNode request,
                                             @RequestAttribute(ApiKeyFilter.ACCOUNT) AccountId account,
                                             @RequestHeader HttpHeaders headers) {
        ChatRequest chat = ChatRequest.of(request);
        if (markets.find(chat.model()).isEmpty()) {
            throw new OpenAiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found",
                    "The model `" + chat.model() + "` does not exist: GET /v1/models lists the Cargo types");
        }
        long limit = term(headers, "X-Archipelago-Limit", request, "limit_micro_credits", defaultLimit);
        long maxUnits = term(headers, "X-Archipelago-Max-Units", request, "max_units", defaultMaxUnits);
        JurisdictionPolicy jurisdiction = jurisdiction(headers, request);
        String id = "chatcmpl-" + UUID.randomUUID();
        @Nullable ResponseBodyEmitter emitter = chat.stream() ? new ResponseBodyEmitter(STREAM_TIMEOUT_MILLIS) : null;
        CompletionRelay relay = new CompletionRelay(json, id, chat.model(), clock.instant().getEpochSecond(),
                chat.promptTokens(), chat.includeUsage(), emitter);
        bridge.inputs().put(id, chat.input(json));
        // subscribed before the bid goes in, so no chunk of a job placed at once can be missed
        StreamSubscription subscription = bridge.streams().subscribe(id, relay);
        try {
            SubmitBid bid = new SubmitBid(new CargoType(chat.model()), new JobId(id), account, bidLimit(limit),
                    maxUnits, jurisdiction, null, null, false, restingWait, clock.instant());
            BidOutcome outcome = submit(bid);
            if (outcome.status() == BidOutcome.Status.REJECTED) {
                throw rejected(outcome);
            }
            if (outcome.status() == BidOutcome.Status.RESTING) {
                awaitStart(relay);
            }
        } catch (RuntimeException refused) {
            subscription.close();
            throw refused;
        }
        HttpHeaders answer = new HttpHeaders();
        answer.set("X-Archipelago-Job-Id", id);
        if (emitter != null) {
            emitter.onCompletion(subscription::close);
            emitter.onTimeout(subscription::close);
            emitter.onError(failure -> subscription.close());
            answer.setCacheControl("no-cache");
            return ResponseEntity.ok().headers(answer).contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }
        try {
            relay.finished().get(COMPLETION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            throw Commands.unwrap(failed.getCause());
        } catch (TimeoutException | InterruptedException late) {
            throw new OpenAiException(HttpStatus.GATEWAY_TIMEOUT, "server_error", "timeout",
                    "the job did not complete in time");
        } finally {
            subscription.close();
        }
        ResponseBodyEmitter whole = new ResponseBodyEmitter();
        try {
            whole.send(json.writeValueAsString(relay.completion()), MediaType.APPLICATION_JSON);
        } catch (IOException unwritable) {
            throw new IllegalStateException(unwritable);
        }
        whole.complete();
        return ResponseEntity.ok().headers(answer).contentType(MediaType.APPLICATION_JSON).body(whole);
    }

    private BidOutcome submit(SubmitBid bid) {
        try {
            return Commands.await(batcher.submit(bid));
        } catch (IllegalArgumentException malformed) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_bid",
                    malformed.getMessage());
        } catch (IllegalStateException conflict) {
            throw new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error", "bid_refused",
                    conflict.getMessage());
        }
    }

    /** A resting bid: wait at most its time to live for an Island to start the job. */
    private void awaitStart(CompletionRelay relay) {
        try {
            relay.started().get(restingWait.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | InterruptedException none) {
            if (none instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "no_eligible_island",
                    "no Island online can take this job within its limit price and jurisdiction now; the bid "
                            + "expires after " + restingWait.toSeconds() + " s");
        }
    }

    private static OpenAiException rejected(BidOutcome outcome) {
        if (outcome.reason() == null) {
            return new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error", "bid_rejected",
                    "the market rejected the bid");
        }
        return switch (outcome.reason()) {
            case LEDGER_INSUFFICIENT_CREDITS -> new OpenAiException(HttpStatus.PAYMENT_REQUIRED, "insufficient_quota",
                    "insufficient_quota", "the account's available credits do not cover limit x max units");
            case LEDGER_UNKNOWN_ACCOUNT -> new OpenAiException(HttpStatus.FORBIDDEN, "invalid_request_error",
                    "account_not_open", "the API key's account is not open");
            case MARKET_LIMIT_BELOW_ROYALTY -> new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                    "limit_below_royalty", "the limit price per unit cannot pay the Cargo's royalty");
            case MARKET_DUPLICATE_JOB -> new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error",
                    "duplicate_job", "a job with this id was already submitted");
        };
    }

    private static PricePerUnit bidLimit(long limit) {
        if (limit <= 0) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_limit",
                    "the limit price per unit is positive");
        }
        return PricePerUnit.of(limit);
    }

    private static long term(HttpHeaders headers, String header, JsonNode request, String field, long fallback) {
        String text = headers.getFirst(header);
        if (text == null && request.path(field).isIntegralNumber()) {
            return request.path(field).asLong();
        }
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notNumber) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_header",
                    header + " is a whole number, got " + text);
        }
    }

    private static @Nullable JurisdictionPolicy jurisdiction(HttpHeaders headers, JsonNode request) {
        String text = headers.getFirst("X-Archipelago-Jurisdiction");
        if (text == null && request.path("jurisdiction").isTextual()) {
            text = request.path("jurisdiction").asText();
        }
        if (text == null) {
            return null;
        }
        try {
            return JurisdictionPolicy.parse(text);
        } catch (IllegalArgumentException unknown) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_jurisdiction",
                    unknown.getMessage());
        }
    }
}
