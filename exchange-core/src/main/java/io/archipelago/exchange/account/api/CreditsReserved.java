package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** {@code amount} moved from available to escrow for a job: its worst-case cost. */
public record CreditsReserved(AccountId accountId, JobId jobId, MicroCredits amount, Instant at) {
}
