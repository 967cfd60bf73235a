package io.archipelago.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Decides whether an authenticated caller may do what it asks, by the {@link Rule} of the request. A key
 * asking for another account's job, Island or account is told it does not exist (404), never that it is someone
 * else's; 403 only where the resource is its own but the action is the operator's.
 */
@Component
final class Guard {

    private static final String OPERATOR_ONLY = "only the exchange's operator may do this";

    private final Ownership ownership;

    Guard(Ownership ownership) {
        this.ownership = ownership;
    }

    /**
     * Empty when {@code caller} may go ahead. {@code body} is the request's JSON body when the rule reads it, null
     * when there is none; an unreadable body under such a rule is refused rather than left for the controller,
     * which might read it differently.
     */
    Optional<Refusal> check(Caller caller, Routes.Match match, String method, String path, @Nullable JsonNode body,
                            boolean bodyUnreadable) {
        if (caller.isOperator()) {
            return operator(match, method, path, body);
        }
        AccountId account = Objects.requireNonNull(caller.account(), "a key belongs to an account");
        return switch (match.rule()) {
            case PUBLIC, ANY_CALLER, CONSUMER -> Optional.empty();
            case OPERATOR -> Optional.of(Refusal.forbidden(OPERATOR_ONLY));
            case OWN_ACCOUNT -> caller.is(match.variable("accountId")) ? Optional.empty()
                    : Optional.of(noAccount(match.variable("accountId")));
            case OWN_ACCOUNT_OPERATOR_ACTION -> Optional.of(caller.is(match.variable("accountId"))
                    ? Refusal.forbidden("credits come from a card payment (checkout) or the exchange's operator")
                    : noAccount(match.variable("accountId")));
            case OWN_JOB -> ownership.ownsJob(match.variable("jobId"), account) ? Optional.empty()
                    : Optional.of(noJob(match.variable("jobId")));
            case CLAIMED_JOB -> ownership.claimJob(match.variable("jobId"), account) ? Optional.empty()
                    : Optional.of(noJob(match.variable("jobId")));
            case BID -> bid(account, body, bodyUnreadable);
            case ISLAND_REGISTRATION -> islandRegistration(caller, body, bodyUnreadable);
            case OWN_ISLAND -> ownIsland(caller, match.variable("islandId"));
            case ASK -> ask(caller, body, bodyUnreadable);
        };
    }

    private Optional<Refusal> operator(Routes.Match match, String method, String path, @Nullable JsonNode body) {
        if (match.rule() == Rule.CONSUMER && path.startsWith("/v1/") && !method.equals("GET")
                && !method.equals("HEAD")) {
            return Optional.of(Refusal.forbidden(
                    "the operator token has no account to bill: call /v1 with an account's API key"));
        }
        if (match.rule() == Rule.BID && body != null) {
            // a bid the operator places for a consumer holds its job id for that consumer, as the consumer's would
            String consumer = text(body, "consumer");
            String jobId = text(body, "jobId");
            if (consumer != null && jobId != null && validAccount(consumer) && malformed(jobId, JobId::new).isEmpty()
                    && !ownership.claimJob(jobId, new AccountId(consumer))) {
                return Optional.of(jobIdTaken(jobId));
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> bid(AccountId account, @Nullable JsonNode body, boolean unreadable) {
        if (unreadable) {
            return Optional.of(unreadable());
        }
        JsonNode consumer = field(body, "consumer");
        if (consumer != null && !(consumer.isTextual() && consumer.asText().equals(account.value()))) {
            return Optional.of(noAccount(consumer.asText()));
        }
        JsonNode jobId = field(body, "jobId");
        if (jobId == null) {
            return Optional.empty();
        }
        if (!jobId.isTextual()) {
            return Optional.of(Refusal.badRequest("jobId: expected a string"));
        }
        Optional<Refusal> malformed = malformed(jobId.asText(), JobId::new);
        if (malformed.isPresent()) {
            return malformed;
        }
        return ownership.claimJob(jobId.asText(), account) ? Optional.empty() : Optional.of(jobIdTaken(jobId.asText()));
    }

    private Optional<Refusal> islandRegistration(Caller caller, @Nullable JsonNode body, boolean unreadable) {
        if (unreadable) {
            return Optional.of(unreadable());
        }
        JsonNode owner = field(body, "owner");
        if (owner != null && !(owner.isTextual() && caller.is(owner.asText()))) {
            return Optional.of(noAccount(owner.asText()));
        }
        JsonNode verified = field(body, "verified");
        if (verified != null && verified.asBoolean(false)) {
            // a host's identity is verified by Stripe Identity or by the operator, never by the host's own word
            return Optional.of(Refusal.forbidden("an Island is registered unverified: its host's identity is verified "
                    + "through POST /islands/{islandId}/verification (Stripe Identity) or by the operator"));
        }
        return Optional.empty();
    }

    private Optional<Refusal> ask(Caller caller, @Nullable JsonNode body, boolean unreadable) {
        if (unreadable) {
            return Optional.of(unreadable());
        }
        JsonNode island = field(body, "islandId");
        if (island == null) {
            return Optional.empty();
        }
        if (!island.isTextual()) {
            return Optional.of(Refusal.badRequest("islandId: expected a string"));
        }
        Optional<Refusal> malformed = malformed(island.asText(), IslandId::new);
        return malformed.isPresent() ? malformed : ownIsland(caller, island.asText());
    }

    private Optional<Refusal> ownIsland(Caller caller, String islandId) {
        return ownership.islandOwner(islandId).filter(caller::is).isPresent() ? Optional.empty()
                : Optional.of(Refusal.notFound("island " + islandId + " is not registered"));
    }

    /** A field that is present and not JSON null; a missing one is left for the controller's validation. */
    private static @Nullable JsonNode field(@Nullable JsonNode body, String name) {
        JsonNode value = body == null ? null : body.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static @Nullable String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** A 400 when {@code id} is not in the form of the identifier {@code form} makes of it; nothing is looked up. */
    private static Optional<Refusal> malformed(String id, Function<String, ?> form) {
        try {
            form.apply(id);
            return Optional.empty();
        } catch (IllegalArgumentException invalid) {
            return Optional.of(Refusal.badRequest(invalid.getMessage()));
        }
    }

    private static boolean validAccount(String id) {
        try {
            new AccountId(id);
            return true;
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }

    private static Refusal noAccount(String accountId) {
        return Refusal.notFound("account " + accountId + " does not exist");
    }

    private static Refusal noJob(String jobId) {
        return Refusal.notFound("job " + jobId + " does not exist");
    }

    private static Refusal jobIdTaken(String jobId) {
        return Refusal.conflict("job id " + jobId + " is taken: choose another");
    }

    private static Refusal unreadable() {
        return Refusal.badRequest("the body is not valid JSON (or repeats a field)");
    }
}
