package io.archipelago.exchange.pricing;

import io.archipelago.exchange.ids.Karma;
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

    /**
     * The fee per unit on {@code ask}: exactly {@code ask x basis points / 10,000} rounded down, computed without a
     * product that could overflow, so that an ask accepted at one karma tier is priced at every other tier too (also
     * an ask recorded before prices were capped by {@code MoneyCaps}).
     */
    public static PricePerUnit platformFee(PricePerUnit ask, Karma karma) {
        long basisPoints = feeBasisPoints(karma.points());
        long whole = ask.microCredits() / 10_000;
        long rest = ask.microCredits() % 10_000;
        return PricePerUnit.of(whole * basisPoints + rest * basisPoints / 10_000);
    }

    public static UnitPrice quote(PricePerUnit ask, PricePerUnit royalty, Karma karma) {
        return new UnitPrice(ask, royalty, platformFee(ask, karma));
    }
}
