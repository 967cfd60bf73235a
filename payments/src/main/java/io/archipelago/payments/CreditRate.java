package io.archipelago.payments;

import io.archipelago.exchange.money.MicroCredits;

/**
 * The one place credits meet currency: 1 credit = USD 0.01, so a Stripe amount in US cents is a number of credits,
 * and 1 cent = 1,000,000 micro-credits. Only whole credits cross the boundary; fractions stay inside the exchange.
 */
final class CreditRate {

    /** The only currency deposits are taken in and payouts are made in. */
    static final String CURRENCY = "usd";

    private CreditRate() {
    }

    /**
     * The US cents an amount of credits is worth.
     *
     * @throws IllegalArgumentException when the amount is not a whole number of credits (of cents)
     */
    static long centsFor(MicroCredits amount) {
        if (amount.value() % MicroCredits.PER_CREDIT != 0) {
            throw new IllegalArgumentException(amount.value() + " micro-credits is not a whole number of credits"
                    + " (1 credit = USD 0.01 = " + MicroCredits.PER_CREDIT + " micro-credits)");
        }
        return amount.value() / MicroCredits.PER_CREDIT;
    }

    /** The whole credits in {@code amount}, dropping the fraction. */
    static MicroCredits wholeCredits(MicroCredits amount) {
        return MicroCredits.of(amount.value() - amount.value() % MicroCredits.PER_CREDIT);
    }
}
