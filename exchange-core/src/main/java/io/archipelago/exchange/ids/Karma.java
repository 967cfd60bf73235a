package io.archipelago.exchange.ids;

/**
 * An Island's standing, 0 to 1000. New Islands start at {@link #INITIAL}. Higher karma wins placement ties and earns
 * a lower platform fee tier.
 */
public record Karma(int points) implements Comparable<Karma> {

    public static final int MAX_POINTS = 1000;
    public static final Karma INITIAL = new Karma(500);
    public static final Karma NONE = new Karma(0);

    public Karma {
        if (points < 0 || points > MAX_POINTS) {
            throw new IllegalArgumentException("karma is between 0 and 1000, got " + points);
        }
    }

    public static Karma of(int points) {
        return new Karma(points);
    }

    static Karma clamped(long points) {
        return new Karma((int) Math.max(0, Math.min(MAX_POINTS, points)));
    }

    public Karma plus(int delta) {
        return clamped((long) points + delta);
    }

    public boolean isAtLeast(Karma other) {
        return points >= other.points;
    }

    @Override
    public int compareTo(Karma other) {
        return Integer.compare(points, other.points);
    }
}
