package io.archipelago.projections.history;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One market rate as it was cleared at {@code clearedAt}: volume-weighted over its window ({@code rateMicroCredits},
 * null with no trades), the window's volume and trades, best bid and ask (null when none) and depth per side.
 */
public record RatePoint(String cargo, Instant clearedAt, @Nullable Long rateMicroCredits, long volumeUnits,
                        int trades, @Nullable Long bestBidMicroCredits, @Nullable Long bestAskMicroCredits,
                        int bidDepth, int askDepth) {
}
