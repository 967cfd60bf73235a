package io.archipelago.projections.market;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A market at a glance, prices per unit in micro-credits: its unit and publisher royalty; {@code asks} listed, of
 * which {@code onlineAsks} on online Islands, the cheapest of those ({@code bestAsk}); bids resting in the book and
 * the highest limit among them ({@code bestBid}); the last market rate cleared from trades and when; and the units
 * and number of all completed jobs. Best prices and the rate are absent when there is none.
 */
public record MarketView(String cargo, String unit, String publisher, long royaltyMicroCredits, int asks,
                         int onlineAsks, @Nullable Long bestAskMicroCredits, long restingBids,
                         @Nullable Long bestBidMicroCredits, @Nullable Long lastRateMicroCredits,
                         @Nullable Instant rateClearedAt, long volumeUnits, long trades, Instant openedAt,
                         Instant updatedAt) {
}
