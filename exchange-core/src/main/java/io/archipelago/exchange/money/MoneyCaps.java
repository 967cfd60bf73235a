package io.archipelago.exchange.money;

/**
 * The largest amounts the exchange accepts, in one place, chosen so that nothing it computes from accepted amounts
 * can overflow a {@code long} of micro-credits:
 * <ul>
 *     <li>a price per unit (an ask, a bid's limit, a Cargo's royalty) is at most {@value #MAX_PRICE_PER_UNIT}
 *     micro-credits (1,000 credits): the platform fee, at most 10% of the ask, is then at most 10^8 at any karma tier,
 *     and a unit's all-in price at most 2.1 x 10^9;</li>
 *     <li>a bid asks for at most 10^9 units ({@code SubmitBid.MAX_UNITS}), so its escrow (limit x units) and any
 *     charge (placed price x units, never above the limit) are at most 10^18;</li>
 *     <li>one deposit is at most {@value #MAX_DEPOSIT} micro-credits (1,000,000 credits), and no deposit may take an
 *     account's credits (available plus escrow) above {@value #MAX_BALANCE} (10^9 credits). Earnings come only out of
 *     deposits, so an account's earnings could reach a {@code long}'s limit only after more than 9 x 10^12 credits
 *     had been deposited in the whole exchange; the auditor's totals are unbounded.</li>
 * </ul>
 * A command naming more is refused with an {@link IllegalArgumentException} that states the cap.
 */
public final class MoneyCaps {

    /** The highest price per unit anyone may name, in micro-credits (1,000 credits). */
    public static final long MAX_PRICE_PER_UNIT = 1_000_000_000L;
    /** The largest single deposit, in micro-credits (1,000,000 credits). */
    public static final long MAX_DEPOSIT = 1_000_000_000_000L;
    /** The most credits an account may hold by deposits, available plus escrow, in micro-credits (10^9 credits). */
    public static final long MAX_BALANCE = 1_000_000_000_000_000L;

    private MoneyCaps() {
    }

    /**
     * {@code price}, when it is at most {@link #MAX_PRICE_PER_UNIT}.
     *
     * @param what what the price is, for the message ("an ask's price")
     * @throws IllegalArgumentException naming the cap, when the price is above it
     */
    public static PricePerUnit price(String what, PricePerUnit price) {
        if (price.microCredits() > MAX_PRICE_PER_UNIT) {
            throw new IllegalArgumentException(what + " per unit is at most " + MAX_PRICE_PER_UNIT
                    + " micro-credits (1,000 credits), got " + price.microCredits());
        }
        return price;
    }

    /**
     * Checks a deposit of {@code amount} into an account that holds {@code held} (available plus escrow).
     *
     * @throws IllegalArgumentException naming the cap, when the deposit or the balance it leads to is above its cap
     */
    public static void deposit(MicroCredits amount, MicroCredits held) {
        if (amount.value() > MAX_DEPOSIT) {
            throw new IllegalArgumentException("a deposit is at most " + MAX_DEPOSIT
                    + " micro-credits (1,000,000 credits), got " + amount.value());
        }
        if (amount.value() > MAX_BALANCE - held.value()) {
            throw new IllegalArgumentException("a deposit may not take an account's credits above " + MAX_BALANCE
                    + " micro-credits (10^9 credits): it holds " + held.value() + ", the deposit is "
                    + amount.value());
        }
    }
}
