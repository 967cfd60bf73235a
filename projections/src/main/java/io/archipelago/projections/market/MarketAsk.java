package io.archipelago.projections.market;

/**
 * An Island's ask on one market: its price per unit in micro-credits, and whether the Island is online (an offline
 * Island's ask stays listed but is not in the book's best price).
 */
public record MarketAsk(String cargo, String islandId, long priceMicroCredits, boolean online) {
}
