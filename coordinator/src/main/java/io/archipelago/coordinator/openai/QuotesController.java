package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.command.web.CommandTimedOut;
import io.archipelago.command.web.Commands;
import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.market.api.BidQuote;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.Exclusion;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.QuoteBid;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/quotes}: what a request would cost if sent now, and why nothing would take it when nothing would.
 * The body is a chat or embeddings request ({@code model}, and the bid terms in {@code X-Archipelago-*} headers, body
 * fields or the account's preferences, resolved by the same {@link BidTermsResolver} as a real request); its input is
 * not looked at. The market answers from its own state ({@link QuoteBid}), judging every ask by the rule its matcher
 * places with, so the quote is as fresh as the last committed event and its price is the one a placement at that
 * moment would fix.
 *
 * <p>The answer: {@code eligible_islands} of {@code islands} with an ask on the model's market, the Island the job
 * would go to and its {@code price} per unit (ask + royalty + platform fee; null when none), {@code worst_case}
 * (limit × max units, held in escrow at submission) against the account's {@code available} credits, the
 * {@code outcome} a submission would have ({@code placed}, {@code resting} or {@code rejected} with a
 * {@code rejection} code), and {@code excluded}: per constraint, how many Islands it kept out, each Island counted
 * under the first that excludes it in the order {@code offline, jurisdiction, price, karma, latency, verified,
 * capacity, schedule}.
 */
@RestController
final class QuotesController {

    private static final Logger LOG = LoggerFactory.getLogger(QuotesController.class);

    private final BidTermsResolver terms;
    private final KnownModels models;
    private final Commands commands;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration restingWait;

    QuotesController(BidTermsResolver terms, KnownModels models, Commands commands, ObjectMapper json, Clock clock,
                     @Value("${archipelago.openai.resting-wait:3s}") Duration restingWait) {
        this.terms = terms;
        this.models = models;
        this.commands = commands;
        this.json = json;
        this.clock = clock;
        this.restingWait = restingWait;
    }

    @PostMapping(path = "/v1/quotes", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode quote(@RequestBody JsonNode request, @RequestAttribute(Principal.ACCOUNT_ATTRIBUTE) AccountId account,
                     @RequestHeader HttpHeaders headers) {
        if (!request.isObject()) {
            throw invalid("invalid_request", "the body is a JSON object: a chat or embeddings request");
        }
        JsonNode model = request.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw invalid("missing_model", "model is required: the Cargo type to quote (GET /v1/models lists them)");
        }
        models.require(model.asText());
        BidTerms bid = terms.resolve(account, headers, request);
        // the bid a real request would submit, down to its time to live; its job id is never used
        SubmitBid submitted = new SubmitBid(new CargoType(model.asText()), new JobId("quote-" + UUID.randomUUID()),
                account, PricePerUnit.of(bid.limitMicroCredits()), bid.maxUnits(), bid.jurisdiction(),
                bid.minKarma(), bid.maxRttMicros(), bid.verifiedOnly(), restingWait, clock.instant());
        BidQuote quote;
        try {
            quote = commands.send(new QuoteBid(submitted));
        } catch (IllegalArgumentException malformed) {
            throw invalid("invalid_bid", malformed.getMessage());
        } catch (AggregateNotFoundException unknown) {
            throw modelNotFound(model.asText());
        } catch (CommandTimedOut slow) {
            throw new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "timeout", slow.getMessage());
        }
        return answer(quote, bid);
    }

    private ObjectNode answer(BidQuote quote, BidTerms bid) {
        ObjectNode answer = json.createObjectNode().put("object", "quote").put("model", quote.cargo().value());
        ObjectNode asked = answer.putObject("terms")
                .put("limit_micro_credits", bid.limitMicroCredits())
                .put("max_units", bid.maxUnits())
                .put("min_karma", bid.minKarma() == null ? null : bid.minKarma().points())
                .put("max_latency_ms", bid.maxRttMicros() == null ? null : bid.maxRttMicros() / 1_000)
                .put("verified_only", bid.verifiedOnly());
        JurisdictionPolicy jurisdiction = quote.jurisdiction();
        if (jurisdiction == null) {
            asked.putNull("jurisdiction");
        } else {
            ObjectNode where = asked.putObject("jurisdiction").put("name", jurisdiction.name());
            jurisdiction.sortedCountries().stream().map(Country::code).forEach(where.putArray("countries")::add);
        }
        answer.put("islands", quote.islands()).put("eligible_islands", quote.eligible())
                .put("island_id", quote.islandId() == null ? null : quote.islandId().value());
        UnitPrice price = quote.price();
        if (price == null) {
            answer.putNull("price_per_unit_micro_credits").putNull("price");
        } else {
            answer.put("price_per_unit_micro_credits", price.total().microCredits());
            answer.putObject("price").put("ask_micro_credits", price.ask().microCredits())
                    .put("royalty_micro_credits", price.royalty().microCredits())
                    .put("platform_fee_micro_credits", price.platformFee().microCredits())
                    .put("total_micro_credits", price.total().microCredits());
        }
        answer.put("worst_case_micro_credits", quote.worstCase().value())
                .put("available_micro_credits", quote.available() == null ? null : quote.available().value())
                .put("covered", quote.covered());
        RejectionReason rejection = quote.rejection();
        answer.put("outcome", rejection != null ? "rejected" : quote.islandId() != null ? "placed" : "resting")
                .put("rejection", rejection == null ? null : code(rejection));
        ObjectNode excluded = answer.putObject("excluded");
        for (Map.Entry<Exclusion, Integer> count : quote.excluded().entrySet()) {
            excluded.put(count.getKey().name().toLowerCase(Locale.ROOT), count.getValue());
        }
        return answer;
    }

    /** The codes a real request's rejection is answered with (see {@link JobDesk}). */
    private static String code(RejectionReason reason) {
        return switch (reason) {
            case LEDGER_INSUFFICIENT_CREDITS -> "insufficient_quota";
            case LEDGER_UNKNOWN_ACCOUNT -> "account_not_open";
            case MARKET_LIMIT_BELOW_ROYALTY -> "limit_below_royalty";
            case MARKET_DUPLICATE_JOB -> "duplicate_job";
            case POLICY_JURISDICTION_CONFLICT -> "jurisdiction_conflict";
            case POLICY_KARMA_CONFLICT -> "karma_conflict";
            case POLICY_LATENCY_CONFLICT -> "latency_conflict";
            case POLICY_VERIFIED_CONFLICT -> "verified_conflict";
        };
    }

    private static OpenAiException modelNotFound(String model) {
        return new OpenAiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found",
                "The model `" + model + "` does not exist: GET /v1/models lists the Cargo types");
    }

    private static OpenAiException invalid(String code, @Nullable String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", code,
                message == null ? "the request is invalid" : message);
    }

    // Errors in OpenAI's shape, answered here rather than by OpenAiErrors' advice so that this door needs no change
    // to the advice shared by the other OpenAI-compatible controllers.

    @ExceptionHandler(OpenAiException.class)
    ResponseEntity<OpenAiError> refused(OpenAiException failure) {
        return OpenAiErrors.respond(failure.status(), failure.body());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<OpenAiError> unreadable(HttpMessageNotReadableException failure) {
        return OpenAiErrors.respond(HttpStatus.BAD_REQUEST,
                OpenAiError.of("the request body is not valid JSON", "invalid_request_error", "invalid_json"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError> unexpected(Exception failure) {
        LOG.warn("quote failed", failure);
        return OpenAiErrors.respond(HttpStatus.SERVICE_UNAVAILABLE, OpenAiError.of(
                "the exchange could not quote this request now: " + failure.getClass().getSimpleName(),
                "server_error", "unavailable"));
    }
}
