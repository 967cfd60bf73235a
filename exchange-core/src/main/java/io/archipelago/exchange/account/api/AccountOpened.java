package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An account opened; {@code country} is null for accounts that only earn (publishers, the platform). */
public record AccountOpened(AccountId accountId, @Nullable Country country, Instant at) {
}
