package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** A job's whole escrow went back to available because the job failed or its bid expired. */
public record CreditsReleased(AccountId accountId, JobId jobId, MicroCredits amount, String reason, Instant at) {
}
