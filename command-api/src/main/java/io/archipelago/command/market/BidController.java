package io.archipelago.command.market;

import io.archipelago.access.JobClaims;
import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.PricePerUnit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes bids for jobs and answers with what became of each at once: placed, resting or rejected. A bid that would
 * relax the terms the consumer's account binds its bids to (its jurisdiction, minimum karma, latency ceiling or
 * verified-only) is the caller's error and is answered as an RFC 7807 problem (400, {@code reason} one of the
 * {@code POLICY_…_CONFLICT} reasons, {@code jobId}); its rejection is recorded all the same.
 */
@RestController
final class BidController {

    /** How long a bid rests in the book, waiting for an Island, when the caller does not say. */
    static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private final BidBatcher batcher;
    private final Clock clock;
    private final ObjectProvider<JobClaims> claims;

    BidController(BidBatcher batcher, Clock clock, ObjectProvider<JobClaims> claims) {
        this.batcher = batcher;
        this.clock = clock;
        this.claims = claims;
    }

    @PostMapping("/markets/{cargo}/bids")
    ResponseEntity<Outcome> bid(@PathVariable String cargo, @Valid @RequestBody Bid request) {
        JobId jobId = new JobId(request.jobId() == null ? UUID.randomUUID().toString() : request.jobId());
        SubmitBid bid = new SubmitBid(new CargoType(cargo), jobId, new AccountId(request.consumer()),
                PricePerUnit.of(request.limitMicroCredits()), request.maxUnits(),
                request.jurisdiction() == null ? null : JurisdictionPolicy.parse(request.jurisdiction()),
                request.minKarma() == null ? null : Karma.of(request.minKarma()), request.maxRttMicros(),
                Boolean.TRUE.equals(request.verifiedOnly()),
                request.ttlSeconds() == null ? DEFAULT_TTL : Duration.ofSeconds(request.ttlSeconds()),
                clock.instant());
        // on the request's Idempotency-Key, if it holds one, before the bid exists: a retry after this node died
        // then knows a job may have been submitted
        claims.ifAvailable(kept -> kept.noteOnKey(bid.cargo(), jobId));
        BidOutcome outcome = Commands.await(batcher.submit(bid));
        if (outcome.reason() != null && outcome.reason().name().startsWith("POLICY_")) {
            throw termsConflict(outcome);
        }
        return ResponseEntity.created(URI.create("/jobs/" + jobId)).body(Outcome.of(outcome));
    }

    /** Answered by the problem handling every command endpoint shares, as Spring answers its own errors. */
    private static ErrorResponseException termsConflict(BidOutcome outcome) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the bid would relax the "
                + "terms the consumer's account binds its bids to (its bid preferences): a bid may narrow the "
                + "account's jurisdiction, raise its minimum karma, lower its latency ceiling or turn verified-only "
                + "on, never the reverse");
        problem.setTitle(outcome.reason() == RejectionReason.POLICY_JURISDICTION_CONFLICT ? "Jurisdiction conflict"
                : "Bid terms conflict");
        problem.setProperty("jobId", outcome.jobId().value());
        problem.setProperty("reason", outcome.reason().name());
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    /**
     * A job asked of the market: at most {@code limitMicroCredits} per unit all-in for at most {@code maxUnits}
     * units. Optional: {@code jobId} (generated when absent; a retried submission with the same id cannot create a
     * second job), {@code jurisdiction} ({@code EU}, {@code CH} or countries such as {@code DE,FR}; absent: the
     * consumer's region), {@code minKarma} (0–1000), {@code maxRttMicros}, {@code verifiedOnly} and
     * {@code ttlSeconds} (how long it may rest, at most a day; absent: five minutes).
     */
    @RejectUnknownFields
    record Bid(@Nullable String jobId, @NotBlank String consumer, @NotNull @Positive Long limitMicroCredits,
               @NotNull @Positive Long maxUnits, @Nullable String jurisdiction,
               @Nullable @Min(0) @Max(Karma.MAX_POINTS) Integer minKarma, @Nullable @Positive Long maxRttMicros,
               @Nullable Boolean verifiedOnly, @Nullable @Positive Long ttlSeconds) {
    }

    /** What became of the bid at once; {@code islandId} when placed, {@code reason} when rejected. */
    record Outcome(String jobId, BidOutcome.Status status, @Nullable String islandId, @Nullable String reason) {

        static Outcome of(BidOutcome outcome) {
            return new Outcome(outcome.jobId().value(), outcome.status(),
                    outcome.islandId() == null ? null : outcome.islandId().value(),
                    outcome.reason() == null ? null : outcome.reason().name());
        }
    }
}
