package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.AccountId;

/** What a market needs of an Island to list its ask: the host account it pays, and its current conditions. */
public record IslandListing(AccountId owner, IslandConditions conditions) {
}
