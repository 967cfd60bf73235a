package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.pricing.UnitPrice;

/** A pipeline stage as placed: where it runs, the Island's owner who earns for it, and its price per unit. */
public record PlacedStage(StagePlacement placement, AccountId host, UnitPrice price) {
}
