package io.archipelago.exchange.market.api;

import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.karma.api.Karma;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A consumer asks for a job: at most {@code limit} per unit all-in, at most {@code maxUnits} units, inside the jurisdiction (null: the consumer's region), with optional minimum karma and round-trip ceiling in microseconds, resting at most {@code ttl} when nothing can take it now. */
public record SubmitBid(@TargetAggregateIdentifier CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                        @Nullable JurisdictionPolicy jurisdiction, @Nullable Karma minKarma, @Nullable Long maxRttMicros,
                        boolean verifiedOnly, Duration ttl, Instant at) {
}
