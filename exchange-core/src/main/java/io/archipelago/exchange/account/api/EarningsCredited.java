package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** An account earned {@code amount} from a job: a host's ask, a publisher's royalty or the platform's fee. */
public record EarningsCredited(AccountId accountId, JobId jobId, EarningsKind kind, MicroCredits amount, Instant at) {
}
