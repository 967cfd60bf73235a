package io.archipelago.projections.history;

import java.util.List;

/**
 * A market's order book by price level: resting bids by limit, highest first; asks of online Islands by price,
 * lowest first.
 */
public record OrderBookDepth(String cargo, List<DepthLevel> bids, List<DepthLevel> asks) {
}
