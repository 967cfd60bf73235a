package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.pricing.UnitPrice;

/**
 * One stage's share of a completed pipeline job, in micro-credits: the consumer is charged {@code charged}
 * ({@code price} x units), of which the stage's Island's {@code host} earns {@code hostEarnings}, the Cargo's publisher
 * {@code royalties} and the platform {@code fees}; the three add up to {@code charged}.
 */
public record StageSettlement(int index, IslandId islandId, AccountId host, UnitPrice price, MicroCredits charged,
                              MicroCredits hostEarnings, MicroCredits royalties, MicroCredits fees) {
}
