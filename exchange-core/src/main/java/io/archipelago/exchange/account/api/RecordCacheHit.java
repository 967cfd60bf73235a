package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records that request {@code requestId} of the consumer's account was answered from the inference cache with the
 * answer of job {@code sourceJob} on {@code cargo}, free: {@code saved} is what that job was charged (zero when its
 * charge is not known). Moves no money.
 */
public record RecordCacheHit(@TargetAggregateIdentifier AccountId accountId, String requestId, JobId sourceJob,
                             CargoType cargo, CacheTier tier, MicroCredits saved, Instant at) {
}
