package io.archipelago.exchange.money;

/**
 * An amount of money in micro-credits (1 credit = 1,000,000 micro-credits). Never negative: a debit is expressed by
 * the direction of a posting, not by the sign of an amount. Arithmetic overflow throws instead of wrapping.
 */
public record MicroCredits(long value) implements Comparable<MicroCredits> {

    public static final MicroCredits ZERO = new MicroCredits(0);
    public static final long PER_CREDIT = 1_000_000L;

    public MicroCredits {
        if (value < 0) {
            throw new IllegalArgumentException("an amount of micro-credits is never negative, got " + value);
        }
    }

    public static MicroCredits of(long value) {
        return value == 0 ? ZERO : new MicroCredits(value);
    }

    public static MicroCredits credits(long credits) {
        return of(Math.multiplyExact(credits, PER_CREDIT));
    }

    public MicroCredits plus(MicroCredits other) {
        return of(Math.addExact(value, other.value));
    }

    /** The difference; throws when {@code other} is larger, because an amount is never negative. */
    public MicroCredits minus(MicroCredits other) {
        return of(Math.subtractExact(value, other.value));
    }

    public MicroCredits min(MicroCredits other) {
        return value <= other.value ? this : other;
    }

    public boolean isAtLeast(MicroCredits other) {
        return value >= other.value;
    }

    public boolean isZero() {
        return value == 0;
    }

    @Override
    public int compareTo(MicroCredits other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value + " µcr";
    }
}
