package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.command.market.BidBatcher;
import io.archipelago.command.web.Commands;
import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.CargoType;
import io.archipelago.exchange.market.api.JobId;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.market.MarketViews;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Where every consumer request becomes a job on the exchange: its input is left for the Island, its output stream
 * subscribed before the bid goes in (so no chunk of a job placed at once is missed), and the bid submitted through the
 * {@link BidBatcher}. A bid that no Island can take at once rests at most {@code archipelago.openai.resting-wait} (its
 * time to live) and the request is answered {@code no_eligible_island} when nothing started it by then; a rejected
 * bid is answered with the reason in OpenAI's error shape. Whatever fails, the subscription is closed again.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class JobDesk {

    private final BidBatcher batcher;
    private final IslandBridge bridge;
    private final MarketViews markets;
    private final Clock clock;
    private final Duration restingWait;

    JobDesk(BidBatcher batcher, IslandBridge bridge, MarketViews markets, Clock clock,
            @Value("${archipelago.openai.resting-wait:3s}") Duration restingWait) {
        this.batcher = batcher;
        this.bridge = bridge;
        this.markets = markets;
        this.clock = clock;
        this.restingWait = restingWait;
    }

    /** Refuses a model that names no Cargo type on the exchange. */
    void requireModel(String model) {
        if (markets.find(model).isEmpty()) {
            throw new OpenAiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found",
                    "The model `" + model + "` does not exist: GET /v1/models lists the Cargo types");
        }
    }

    /**
     * Places job {@code jobId} of {@code account} on {@code model}'s market and relays its output to {@code relay};
     * returns once an Island started it (or at once when one took it at submission).
     *
     * @return the output subscription, for the caller to close when the consumer is gone
     * @throws OpenAiException when the bid is refused, rejected or finds no Island in time
     */
    StreamSubscription place(String jobId, String model, AccountId account, BidTerms terms, ObjectNode input,
                             JobRelay relay) {
        return place(jobId, model, account, terms, input, relay, Set.of()).subscription();
    }

    /**
     * As {@link #place(String, String, AccountId, BidTerms, ObjectNode, JobRelay)}, with Islands the bid avoids
     * where another can take it (a batch spreading its items, a retry leaving the Islands that failed it).
     *
     * @return the output subscription and the bid's outcome: the Island it went to at once, or resting
     */
    Placed place(String jobId, String model, AccountId account, BidTerms terms, ObjectNode input, JobRelay relay,
                 Set<IslandId> avoid) {
        bridge.inputs().put(jobId, input);
        ExpiryWatch watch = new ExpiryWatch(relay);
        StreamSubscription subscription = bridge.streams().subscribe(jobId, watch);
        try {
            SubmitBid bid = new SubmitBid(new CargoType(model), new JobId(jobId), account,
                    PricePerUnit.of(terms.limitMicroCredits()), terms.maxUnits(), terms.jurisdiction(),
                    terms.minKarma(), terms.maxRttMicros(), terms.verifiedOnly(), restingWait, clock.instant(), avoid);
            BidOutcome outcome = submit(bid);
            if (outcome.status() == BidOutcome.Status.REJECTED) {
                throw rejected(outcome);
            }
            if (outcome.status() == BidOutcome.Status.RESTING) {
                awaitStart(watch);
            }
            return new Placed(subscription, outcome);
        } catch (RuntimeException refused) {
            subscription.close();
            throw refused;
        }
    }

    /** A job on its way: its output subscription and where its bid went when submitted. */
    record Placed(StreamSubscription subscription, BidOutcome outcome) {
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

    /**
     * A resting bid: wait at most its time to live for an Island to start the job. A bid that expired first found no
     * Island either.
     */
    private void awaitStart(ExpiryWatch watch) {
        try {
            CompletableFuture.anyOf(watch.relay.started(), watch.expired)
                    .get(restingWait.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            if (!watch.expired.isDone()) {
                return;
            }
        } catch (TimeoutException | ExecutionException | InterruptedException none) {
            if (none instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        throw new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "no_eligible_island",
                "no Island online can take this job within its limit price and jurisdiction now; the bid "
                        + "expired after " + restingWait.toSeconds() + " s");
    }

    /**
     * Passes a job's stream on to its relay, except its bid's expiry: that can only come while {@link #place} still
     * waits for the job to start, and is answered from there as {@code no_eligible_island}, once.
     */
    private static final class ExpiryWatch implements JobStreamListener {

        private final JobRelay relay;
        private final CompletableFuture<Void> expired = new CompletableFuture<>();

        ExpiryWatch(JobRelay relay) {
            this.relay = relay;
        }

        @Override
        public void onChunk(StreamChunk chunk) {
            relay.onChunk(chunk);
        }

        @Override
        public void onCompleted(long units) {
            relay.onCompleted(units);
        }

        @Override
        public void onFailed(String reason) {
            relay.onFailed(reason);
        }

        @Override
        public void onExpired(String reason) {
            expired.complete(null);
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
            case POLICY_JURISDICTION_CONFLICT -> new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                    "jurisdiction_conflict", "the request's jurisdiction shares no country with the account's (its "
                            + "bid preferences): a request may only narrow the account's jurisdiction, never widen it");
        };
    }
}
