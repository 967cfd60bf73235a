package io.archipelago.coordinator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.projections.cache.CacheHitView;
import io.archipelago.projections.cache.CacheHitViews;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The consumer's view of its inference cache: statistics ({@code GET /cache/stats}: hits per tier from the read
 * model of {@code CacheHitRecorded}, misses and bypasses, hit rates, credits saved), deletion of every answer kept
 * for it ({@code DELETE /cache}) and whether its sampled requests are cached too and near-duplicates answer its
 * requests ({@code /cache/preferences}). A key
 * acts as its own account; the operator names one with {@code ?account=}, and without it sees the statistics of all
 * accounts, overall and each.
 */
@RestController
final class CacheController {

    private static final List<String> TIERS = List.of("exact", "semantic");

    private final InferenceCache cache;
    private final CacheEntries entries;
    private final CacheHitViews hits;
    private final ObjectMapper json;
    private final Clock clock;

    CacheController(InferenceCache cache, CacheEntries entries, CacheHitViews hits, ObjectMapper json, Clock clock) {
        this.cache = cache;
        this.entries = entries;
        this.hits = hits;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(path = "/cache/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode stats(@RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false) @Nullable AccountId key,
                     @RequestParam(name = "account", required = false) @Nullable String named) {
        if (key != null || named != null) {
            return stats(target(key, named).value());
        }
        ObjectNode all = stats((String) null);
        all.remove("account");
        ArrayNode accounts = all.putArray("accounts");
        TreeSet<String> ids = new TreeSet<>(entries.accounts());
        hits.hits(null).forEach(view -> ids.add(view.accountId()));
        ids.forEach(id -> accounts.add(stats(id)));
        return all;
    }

    @DeleteMapping(path = "/cache", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode delete(@RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false) @Nullable AccountId key,
                      @RequestParam(name = "account", required = false) @Nullable String named) {
        AccountId account = target(key, named);
        return json.createObjectNode().put("account", account.value()).put("deleted", cache.forget(account));
    }

    @GetMapping(path = "/cache/preferences", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode preferences(
            @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false) @Nullable AccountId key,
            @RequestParam(name = "account", required = false) @Nullable String named) {
        AccountId account = target(key, named);
        CacheEntries.Preference preference = entries.preference(account.value());
        return json.createObjectNode().put("account", account.value()).put("sampled", preference.sampled())
                .put("semantic", preference.semantic());
    }

    @PutMapping(path = "/cache/preferences", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode prefer(@RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false) @Nullable AccountId key,
                      @RequestParam(name = "account", required = false) @Nullable String named,
                      @RequestBody JsonNode body) {
        AccountId account = target(key, named);
        JsonNode sampled = body.path("sampled");
        JsonNode semantic = body.path("semantic");
        if (!body.isObject() || !sampled.isBoolean() || !semantic.isBoolean() || body.size() != 2) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "the body is {\"sampled\": true or false, \"semantic\": true or false}, both named");
        }
        entries.prefer(account.value(), new CacheEntries.Preference(sampled.asBoolean(), semantic.asBoolean()),
                clock.instant());
        return preferences(key, named);
    }

    /** The account a request acts on: a key's own (naming another is 404), or the one the operator names. */
    private static AccountId target(@Nullable AccountId key, @Nullable String named) {
        if (named == null) {
            if (key == null) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "the operator names the account: ?account=<id>");
            }
            return key;
        }
        AccountId account;
        try {
            account = new AccountId(named);
        } catch (IllegalArgumentException malformed) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, malformed.getMessage());
        }
        if (key != null && !key.equals(account)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no account " + named + " of this key");
        }
        return account;
    }

    private ObjectNode stats(@Nullable String account) {
        Map<String, Long> lookups = entries.lookups(account);
        long misses = lookups.getOrDefault("miss", 0L);
        long bypasses = lookups.getOrDefault("bypass", 0L);
        ObjectNode stats = json.createObjectNode();
        stats.put("account", account);
        ObjectNode byTier = stats.putObject("hits");
        ObjectNode rates = json.createObjectNode();
        long total = 0;
        long saved = 0;
        List<CacheHitView> views = hits.hits(account);
        for (String tier : TIERS) {
            long tierHits = views.stream().filter(view -> view.tier().equalsIgnoreCase(tier))
                    .mapToLong(CacheHitView::hits).sum();
            byTier.put(tier, tierHits);
            total += tierHits;
        }
        for (CacheHitView view : views) {
            saved += view.savedMicroCredits();
        }
        byTier.put("total", total);
        stats.put("misses", misses);
        stats.put("bypasses", bypasses);
        for (String tier : TIERS) {
            rates.put(tier, rate(byTier.path(tier).asLong(), total + misses));
        }
        rates.put("total", rate(total, total + misses));
        stats.set("hit_rate", rates);
        stats.put("saved_micro_credits", saved);
        stats.put("entries", entries.entries(account));
        return stats;
    }

    /** Hits over the lookups the cache could answer (bypassed requests were never eligible); 0 before any. */
    private static double rate(long hitCount, long eligible) {
        return eligible == 0 ? 0.0 : (double) hitCount / eligible;
    }
}
