package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The market rate: volume-weighted average asking price of the trades settled in the window from {@code windowStart} to
 * {@code at} (null with no trades), with best bid and ask (null when none) and depth on each side.
 */
public record MarketRateCleared(CargoType cargo, @Nullable PricePerUnit rate, long volumeUnits, int trades,
                                @Nullable PricePerUnit bestBid, @Nullable PricePerUnit bestAsk, int bidDepth,
                                int askDepth, Instant windowStart, Instant at) {
}
