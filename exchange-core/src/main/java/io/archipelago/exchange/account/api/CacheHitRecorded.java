package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/**
 * Request {@code requestId} of the account was answered from the inference cache ({@code tier}) with the answer of
 * job {@code sourceJob} on {@code cargo}. Nothing was charged and no job ran: {@code saved} micro-credits are what
 * the source job cost, so the consumer saved them. No balance changes.
 */
public record CacheHitRecorded(AccountId accountId, String requestId, JobId sourceJob, CargoType cargo,
                               CacheTier tier, MicroCredits saved, Instant at) {
}
