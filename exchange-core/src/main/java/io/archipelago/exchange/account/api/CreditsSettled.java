package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/**
 * A job's escrow settled: {@code charged} left the account for the host, publisher and platform; {@code released} went
 * back to available.
 */
public record CreditsSettled(AccountId accountId, JobId jobId, MicroCredits charged, MicroCredits released,
                             Instant at) {
}
