package io.archipelago.exchange.pricing;

import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;

/**
 * What one unit costs, split by who receives it: the Island's ask, the Cargo publisher's royalty and the platform
 * fee. The consumer pays {@link #total()}.
 */
public record UnitPrice(PricePerUnit ask, PricePerUnit royalty, PricePerUnit platformFee) {

    public PricePerUnit total() {
        return ask.plus(royalty).plus(platformFee);
    }

    public MicroCredits hostEarnings(long units) {
        return ask.times(units);
    }

    public MicroCredits royalties(long units) {
        return royalty.times(units);
    }

    public MicroCredits fees(long units) {
        return platformFee.times(units);
    }

    public MicroCredits charge(long units) {
        return total().times(units);
    }
}
