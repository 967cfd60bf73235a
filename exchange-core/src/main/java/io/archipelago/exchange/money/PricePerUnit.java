package io.archipelago.exchange.money;

/**
 * A price in micro-credits for one unit of a Cargo type (1K tokens, one image, one second of compute). Never negative.
 */
public record PricePerUnit(long microCredits) implements Comparable<PricePerUnit> {

    public static final PricePerUnit ZERO = new PricePerUnit(0);

    public PricePerUnit {
        if (microCredits < 0) {
            throw new IllegalArgumentException("a price per unit is never negative, got " + microCredits);
        }
    }

    public static PricePerUnit of(long microCredits) {
        return new PricePerUnit(microCredits);
    }

    /** The cost of {@code units} units at this price; throws on overflow. */
    public MicroCredits times(long units) {
        if (units < 0) {
            throw new IllegalArgumentException("units are never negative, got " + units);
        }
        return MicroCredits.of(Math.multiplyExact(microCredits, units));
    }

    public PricePerUnit plus(PricePerUnit other) {
        return new PricePerUnit(Math.addExact(microCredits, other.microCredits));
    }

    public boolean isAbove(PricePerUnit other) {
        return microCredits > other.microCredits;
    }

    @Override
    public int compareTo(PricePerUnit other) {
        return Long.compare(microCredits, other.microCredits);
    }
}
