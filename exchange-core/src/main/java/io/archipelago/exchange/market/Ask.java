package io.archipelago.exchange.market;

import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;
import java.util.Comparator;

/**
 * One Island's offer on a market, with the conditions placement looks at and the slots in use. Mutable, owned by
 * its {@link OrderBook}.
 */
final class Ask {

    /** Placement preference: lowest round-trip time, then higher karma, then lower price, then Island id. */
    static final Comparator<Ask> RANK = Comparator.<Ask>comparingLong(ask -> ask.conditions.rttMicros())
            .thenComparing(ask -> ask.conditions.karma().points(), Comparator.reverseOrder())
            .thenComparingLong(ask -> ask.price.microCredits())
            .thenComparing(ask -> ask.islandId);

    final IslandId islandId;
    final AccountId owner;
    private final PricePerUnit royalty;
    PricePerUnit price;
    IslandConditions conditions;
    UnitPrice unitPrice;
    int usedSlots;

    Ask(IslandId islandId, AccountId owner, PricePerUnit price, PricePerUnit royalty, IslandConditions conditions) {
        this.islandId = islandId;
        this.owner = owner;
        this.royalty = royalty;
        this.price = price;
        this.conditions = conditions;
        this.unitPrice = Pricing.quote(price, royalty, conditions.karma());
    }

    void reprice(PricePerUnit newPrice) {
        price = newPrice;
        unitPrice = Pricing.quote(price, royalty, conditions.karma());
    }

    void update(IslandConditions newConditions) {
        conditions = newConditions;
        unitPrice = Pricing.quote(price, royalty, conditions.karma());
    }

    boolean hasFreeSlot() {
        return usedSlots < conditions.slots();
    }

    /** Every hard constraint of a bid except jurisdiction, which the book checks once per country. */
    boolean canTake(Bid bid, Instant at) {
        IslandConditions c = conditions;
        return c.online()
                && usedSlots < c.slots()
                && unitPrice.total().microCredits() <= bid.limit().microCredits()
                && c.karma().points() >= bid.minKarma().points()
                && c.rttMicros() <= bid.maxRttMicros()
                && (c.verified() || !bid.verifiedOnly())
                && c.schedule().isOpenAt(at);
    }
}
