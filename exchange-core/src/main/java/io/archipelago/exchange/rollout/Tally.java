package io.archipelago.exchange.rollout;

/**
 * What one variant's observations of one metric add up to: their count, sum and sum of squares, enough for a mean
 * and a variance at any time without keeping the observations. A success is observed as 1, a failure as 0.
 */
public record Tally(long count, double sum, double sumOfSquares) {

    /** No observations yet. */
    public static final Tally EMPTY = new Tally(0, 0, 0);

    public Tally {
        if (count < 0 || !Double.isFinite(sum) || !Double.isFinite(sumOfSquares) || sumOfSquares < 0) {
            throw new IllegalArgumentException("a tally has a count of at least 0 and finite sums");
        }
    }

    /** This tally with one more observation {@code value}. */
    public Tally add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("an observation is a finite number, got " + value);
        }
        return new Tally(count + 1, sum + value, sumOfSquares + value * value);
    }

    /** The mean of the observations; 0 with none. */
    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /** The sample variance of the observations (divided by count - 1); 0 with fewer than two. */
    public double variance() {
        if (count < 2) {
            return 0;
        }
        double mean = mean();
        return Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1));
    }
}
