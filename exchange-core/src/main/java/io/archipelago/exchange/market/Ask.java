package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.Exclusion;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One Island's offer on a market, with the conditions placement looks at and the slots in use. Mutable, owned by
 * its {@link OrderBook}.
 */
final class Ask {

    /**
     * Placement preference: lowest round-trip time, then higher karma, then lower price, then Island id. Written
     * out by hand because the matcher calls it for nearly every ask it looks at: a chain of key-extracting
     * comparators boxes the karma and goes through four lambdas per call.
     */
    static final Comparator<Ask> RANK = Ask::compareRank;

    final IslandId islandId;
    final AccountId owner;
    private PricePerUnit royalty;
    PricePerUnit price;
    IslandConditions conditions;
    UnitPrice unitPrice;
    /** {@code unitPrice.total()} in micro-credits, kept beside it so the matcher compares a bid's limit to a long. */
    private long consumerPrice;
    int usedSlots;

    Ask(IslandId islandId, AccountId owner, PricePerUnit price, PricePerUnit royalty, IslandConditions conditions) {
        this.islandId = islandId;
        this.owner = owner;
        this.royalty = royalty;
        this.price = price;
        this.conditions = conditions;
        quote();
    }

    void reprice(PricePerUnit newPrice) {
        price = newPrice;
        quote();
    }

    void changeRoyalty(PricePerUnit newRoyalty) {
        royalty = newRoyalty;
        quote();
    }

    void update(IslandConditions newConditions) {
        conditions = newConditions;
        quote();
    }

    private void quote() {
        unitPrice = Pricing.quote(price, royalty, conditions.karma());
        consumerPrice = unitPrice.total().microCredits();
    }

    private static int compareRank(Ask one, Ask other) {
        int byRtt = Long.compare(one.conditions.rttMicros(), other.conditions.rttMicros());
        if (byRtt != 0) {
            return byRtt;
        }
        int byKarma = Integer.compare(other.conditions.karma().points(), one.conditions.karma().points());
        if (byKarma != 0) {
            return byKarma;
        }
        int byPrice = Long.compare(one.price.microCredits(), other.price.microCredits());
        if (byPrice != 0) {
            return byPrice;
        }
        return one.islandId.compareTo(other.islandId);
    }

    boolean hasFreeSlot() {
        return usedSlots < conditions.slots();
    }

    /** Online with a free slot: the asks the matcher looks at, whatever the bid. */
    boolean isOpen() {
        return conditions.online() && hasFreeSlot();
    }

    /**
     * Whether this ask can take {@code bid} at {@code at} by the {@link Eligibility} rule, jurisdiction aside: the
     * book judges that once per country shelf rather than once per ask.
     */
    boolean canTake(Bid bid, Instant at) {
        return exclusionFor(bid, null, at) == null;
    }

    /**
     * The first constraint of {@code bid} this ask fails at {@code at} inside {@code countries} (null: judged
     * elsewhere), or null; see {@link Eligibility}.
     */
    @Nullable Exclusion exclusionFor(Bid bid, @Nullable Set<Country> countries, Instant at) {
        return Eligibility.exclusion(conditions, usedSlots, consumerPrice, countries, bid.limit().microCredits(),
                bid.minKarma().points(), bid.maxRttMicros(), bid.verifiedOnly(), at);
    }
}
