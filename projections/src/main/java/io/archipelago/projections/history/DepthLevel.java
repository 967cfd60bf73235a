package io.archipelago.projections.history;

/** One price level of a side of the order book: its price per unit in micro-credits and how many orders rest there. */
public record DepthLevel(long priceMicroCredits, long orders) {
}
