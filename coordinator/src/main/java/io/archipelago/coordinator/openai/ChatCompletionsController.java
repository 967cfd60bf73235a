package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.command.web.Commands;
import io.archipelago.coordinator.access.Principal;
import io.archipelago.exchange.account.api.AccountId;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
 * OpenAI's chat completions and models over the exchange: {@code model} names a Cargo type, each request becomes one
 * job of the key's account placed by the {@link JobDesk} with the request's {@code messages} (and {@code max_tokens})
 * as input, and the Island's chunks are relayed as they come ({@code stream: true}) or gathered into one
 * {@code chat.completion}. Bid terms a standard client cannot say come from {@link BidTermsResolver}.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class ChatCompletionsController {

    private static final long STREAM_TIMEOUT_MILLIS = 15 * 60 * 1000L;
    private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(15);

    private final JobDesk desk;
    private final BidTermsResolver terms;
    private final MarketViews markets;
    private final ObjectMapper json;
    private final Clock clock;

    ChatCompletionsController(JobDesk desk, BidTermsResolver terms, MarketViews markets, ObjectMapper json,
                              Clock clock) {
        this.desk = desk;
        this.terms = terms;
        this.markets = markets;
        this.json = json;
        this.clock = clock;
    }

    /** Every registered Cargo type as a model, with its last market rate per unit when one was cleared. */
    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode models() {
        ObjectNode list = json.createObjectNode().put("object", "list");
        var data = list.putArray("data");
        for (MarketView market : markets.all()) {
            data.add(model(market));
        }
        return list;
    }

    /** One Cargo type as a model; {@code model_not_found} when none has that name. */
    @GetMapping(path = "/v1/models/{model}", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode model(@PathVariable String model) {
        return model(markets.find(model).orElseThrow(() -> new OpenAiException(HttpStatus.NOT_FOUND,
                "invalid_request_error", "model_not_found", "The model `" + model + "` does not exist")));
    }

    private ObjectNode model(MarketView market) {
        ObjectNode model = json.createObjectNode().put("id", market.cargo()).put("object", "model")
                .put("created", market.openedAt().getEpochSecond()).put("owned_by", market.publisher())
                .put("unit", market.unit());
        model.put("market_rate_micro_credits", market.lastRateMicroCredits());
        model.put("best_ask_micro_credits", market.bestAskMicroCredits());
        return model;
    }

    @PostMapping(path = "/v1/chat/completions")
    ResponseEntity<ResponseBodyEmitter> chat(@RequestBody JsonNode request,
                                             @RequestAttribute(Principal.ACCOUNT_ATTRIBUTE) AccountId account,
                                             @RequestHeader HttpHeaders headers) {
        ChatRequest chat = ChatRequest.of(request);
        desk.requireModel(chat.model());
        BidTerms bid = terms.resolve(account, headers, request);
        String id = "chatcmpl-" + UUID.randomUUID();
        @Nullable ResponseBodyEmitter emitter = chat.stream() ? new ResponseBodyEmitter(STREAM_TIMEOUT_MILLIS) : null;
        CompletionRelay relay = new CompletionRelay(json, id, chat.model(), clock.instant().getEpochSecond(),
                chat.promptTokens(), chat.includeUsage(), emitter);
        StreamSubscription subscription = desk.place(id, chat.model(), account, bid, chat.input(json), relay);
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
}
