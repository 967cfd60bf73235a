package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.coordinator.cache.CachedAnswer;
import io.archipelago.coordinator.cache.InferenceCache;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.projections.market.MarketViews;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The inference cache at the chat door, one rule for HTTP and the WebSocket alike: what the cache says of a request,
 * an answer from the cache relayed as a live one would arrive (the same chunks, then the end, no job and free), and
 * the answer of a job it missed kept once the job completed with its client still there.
 */
final class CachedCompletions {

    private final InferenceCache cache;
    private final MarketViews markets;

    CachedCompletions(InferenceCache cache, MarketViews markets) {
        this.cache = cache;
        this.markets = markets;
    }

    /** What the cache says of the request; a cache header or field it does not know is a 400. */
    InferenceCache.Lookup lookup(AccountId account, String model, JsonNode request, HttpHeaders headers) {
        String version = markets.find(model).map(market -> market.openedAt().toString()).orElse("");
        try {
            return cache.lookup(account, model, version, request, headers);
        } catch (IllegalArgumentException refused) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_cache_choice",
                    refused.getMessage());
        }
    }

    /**
     * Marks every object {@code relay} writes with the cache's outcome and, when the cache answered, relays the
     * answer's chunks, completes the relay and records the hit on the account.
     *
     * @return the answer relayed, or null when the request has to run as a job
     */
    @Nullable CachedAnswer answer(AccountId account, String id, InferenceCache.Lookup lookup, CompletionRelay relay) {
        CachedAnswer cached = lookup.answer();
        relay.cache(lookup.outcome().label(), cached != null);
        if (cached == null) {
            return null;
        }
        long seq = 0;
        for (String piece : cached.chunks()) {
            relay.onChunk(new StreamChunk(id, seq++, piece));
        }
        relay.onCompleted(cached.units());
        cache.served(account, id, lookup);
        return cached;
    }

    /**
     * Keeps the answer of job {@code id} on Cargo {@code model} once it completed, while its client is still there to
     * have received it.
     */
    void keepWhenCompleted(AccountId account, InferenceCache.Lookup lookup, String model, ChatRequest chat,
                           String id, CompletionRelay relay) {
        relay.finished().thenAccept(units -> {
            if (relay.present()) {
                cache.keep(account, lookup, model, id, relay.pieces(), chat.promptTokens(),
                        relay.completionTokens(), units);
            }
        });
    }
}
