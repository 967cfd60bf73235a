package io.archipelago.projections.account;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An account's balances in micro-credits: {@code available} to spend on bids, held in {@code escrow} for its bids
 * and running jobs, {@code earnings} from jobs (hosts, publishers, the platform) and {@code payoutsInFlight} on
 * their way out of the exchange. {@code country} is absent for accounts that only earn.
 */
public record AccountBalanceView(String accountId, @Nullable String country, long availableMicroCredits,
                                 long escrowMicroCredits, long earningsMicroCredits,
                                 long payoutsInFlightMicroCredits, Instant openedAt, Instant updatedAt) {
}
