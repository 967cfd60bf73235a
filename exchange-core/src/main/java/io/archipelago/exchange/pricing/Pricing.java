package io.archipelago.exchange.pricing;

import io.archipelago.exchange.karma.api.Karma;
import io.archipelago.exchange.money.PricePerUnit;

/**
 * The pricing rule. The Island earns its ask; the consumer pays ask + royalty + platform fee. The fee is a share of
 * the ask that falls with the Island's karma tier, rounded down to whole micro-credits:
 * <ul>
 *     <li>karma below 300: 10%</li>
 *     <li>300–599: 7.5%</li>
 *     <li>600–849: 5%</li>
 *     <li>850 and above: 3%</li>
 * </ul>
 */
public final class Pricing {

    private Pricing() {
    }

    /** The fee in basis points of the ask for an Island with this karma. */
    public static int feeBasisPoints(int karmaPoints) {
        if (karmaPoints >= 850) {
            return 300;
        }
        if (karmaPoints >= 600) {
            return 500;
        }
        if (karmaPoints >= 300) {
            return 750;
        }
        return 1000;
    }

    public static PricePerUnit platformFee(PricePerUnit ask, Karma karma) {
        return PricePerUnit.of(Math.multiplyExact(ask.microCredits(), feeBasisPoints(karma.points())) / 10_000);
    }

    public static UnitPrice quote(PricePerUnit ask, PricePerUnit royalty, Karma karma) {
        return new UnitPrice(ask, royalty, platformFee(ask, karma));
    }
}
