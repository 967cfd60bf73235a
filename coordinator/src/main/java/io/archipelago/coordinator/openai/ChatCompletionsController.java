package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.coordinator.cache.CacheUse;
import io.archipelago.coordinator.cache.CachedAnswer;
import io.archipelago.coordinator.cache.InferenceCache;
import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
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

    /** Names, on the answer of a request for a model name under rollout, that rollout; {@code model} the variant. */
    static final String ROLLOUT_HEADER = "X-Archipelago-Rollout";

    private final JobDesk desk;
    private final CachedCompletions cache;
    private final BidTermsResolver terms;
    private final RolloutRouter rollouts;
    private final MarketViews markets;
    private final KnownModels models;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration jobDeadline;

    ChatCompletionsController(JobDesk desk, InferenceCache cache, BidTermsResolver terms, RolloutRouter rollouts,
                              MarketViews markets, KnownModels models, ObjectMapper json, Clock clock,
                              @Value("${archipelago.bridge.job-deadline:10m}") Duration jobDeadline) {
        this.jobDeadline = jobDeadline;
        this.desk = desk;
        this.cache = new CachedCompletions(cache, markets);
        this.terms = terms;
        this.rollouts = rollouts;
        this.markets = markets;
        this.models = models;
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
        return model(models.require(model));
    }

    private ObjectNode model(MarketView market) {
        ObjectNode model = json.createObjectNode().put("id", market.cargo()).put("object", "model")
                .put("created", market.openedAt().getEpochSecond()).put("owned_by", market.publisher())
                .put("unit", market.unit());
        model.put("market_rate_micro_credits", market.lastRateMicroCredits());
        model.put("best_ask_micro_credits", market.bestAskMicroCredits());
        return model;
    }

    /**
     * A streamed request is answered at once (headers and the role chunk) and then hears SSE comments until an
     * Island starts; a whole one is answered when the job ends, without holding a worker thread meanwhile. Either
     * ends within the bid's time to live and the job deadline ({@link #bound}), with the answer or a named error; a
     * client that leaves first cancels its job and pays for the tokens that reached it. A request the inference cache
     * answers ({@code X-Archipelago-Cache: exact} or {@code semantic}) is served at once in the same shape, without a
     * job and free; the answer of a job it missed is kept once the job completed with its client still there.
     */
    @PostMapping(path = "/v1/chat/completions")
    Object chat(@RequestBody JsonNode request, @RequestAttribute(Principal.ACCOUNT_ATTRIBUTE) AccountId account,
                @RequestHeader HttpHeaders headers) {
        ChatRequest chat = ChatRequest.of(request);
        String id = "chatcmpl-" + UUID.randomUUID();
        RolloutRouter.Route route = rollouts.route(chat.model(), id);
        String model = route.cargo();
        desk.requireModel(model);
        BidTerms bid = terms.resolve(account, headers, request);
        InferenceCache.Lookup lookup = cache.lookup(account, model, request, headers);
        Duration bound = bound();
        @Nullable ResponseBodyEmitter emitter = chat.stream() ? new ResponseBodyEmitter(bound.toMillis()) : null;
        CompletionRelay relay = new CompletionRelay(json, id, model, clock.instant().getEpochSecond(),
                chat.promptTokens(), chat.includeUsage(), desk.bidTtl(), emitter);
        HttpHeaders answer = new HttpHeaders();
        if (route.rollout() != null) {
            answer.set(ROLLOUT_HEADER, route.rollout());
        }
        answer.set(CacheUse.HEADER, lookup.outcome().label());
        @Nullable CachedAnswer cached = cache.answer(account, id, lookup, relay);
        if (cached != null) {
            return fromCache(cached, relay, emitter, answer);
        }
        relay.onGone(tokens -> desk.cancel(model, id, tokens, "the client closed the connection"));
        StreamSubscription subscription = desk.place(id, model, route.version(), account, bid, chat.input(json),
                relay);
        relay.finished().whenComplete((units, failure) -> subscription.close());
        cache.keepWhenCompleted(account, lookup, model, chat, id, relay);
        rollouts.observe(route, id, relay);
        answer.set("X-Archipelago-Job-Id", id);
        if (emitter != null) {
            relay.begin();
            ScheduledFuture<?> beat = desk.keepAlive(relay::beat);
            relay.started().whenComplete((ignored, failure) -> beat.cancel(false));
            emitter.onTimeout(() -> relay.timedOut(WholeAnswer.timeout(bound)));
            emitter.onError(failure -> relay.left());
            emitter.onCompletion(() -> {
                beat.cancel(false);
                relay.left();
                subscription.close();
            });
            answer.setCacheControl("no-cache");
            return ResponseEntity.ok().headers(answer).contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }
        return WholeAnswer.of(bound, relay, answer, relay::completion);
    }

    /** Answers with what the cache relayed: the same chunks streamed and {@code [DONE]}, or the whole completion. */
    private static ResponseEntity<?> fromCache(CachedAnswer cached, CompletionRelay relay,
                                               @Nullable ResponseBodyEmitter emitter, HttpHeaders answer) {
        answer.set("X-Archipelago-Cache-Source-Job", cached.jobId());
        if (emitter != null) {
            answer.setCacheControl("no-cache");
            return ResponseEntity.ok().headers(answer).contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }
        return ResponseEntity.ok().headers(answer).contentType(MediaType.APPLICATION_JSON).body(relay.completion());
    }

    /** The longest a request waits: its bid's time to live, then the job's deadline on its Island, then a margin. */
    private Duration bound() {
        return desk.bidTtl().plus(jobDeadline).plus(Duration.ofSeconds(30));
    }
}
