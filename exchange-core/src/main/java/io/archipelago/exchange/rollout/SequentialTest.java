package io.archipelago.exchange.rollout;

/**
 * A mixture sequential probability ratio test (mSPRT) of the difference between a challenger's mean and the
 * incumbent's, whose p-value stays valid however often it is looked at: it may be checked after every observation and
 * the rollout stopped the first time it falls under the significance level, and the chance that it ever does when
 * the two are alike stays at or under that level.
 *
 * <p>The estimate is the difference of the two means, {@code d = mean(challenger) - mean(incumbent)}, with variance
 * {@code V = s2(challenger) / n(challenger) + s2(incumbent) / n(incumbent)} from the sample variances. Against the
 * null hypothesis of no difference, the likelihood ratio of {@code d ~ N(theta, V)}, mixed over the alternatives
 * {@code theta ~ N(0, tau2)}, is
 *
 * <pre>  L = sqrt(V / (V + tau2)) * exp(tau2 * d^2 / (2 V (V + tau2)))</pre>
 *
 * <p>which, with equal counts {@code n} and a common variance {@code s2} ({@code V = 2 s2 / n}), is the statistic of
 * Johari, Koomen, Pekelis and Walsh, "Peeking at A/B tests" (KDD 2017). Under the null hypothesis {@code L} is a
 * martingale, so by Ville's inequality it ever reaches {@code 1 / alpha} with probability at most {@code alpha}; the
 * always-valid p-value is the running minimum of {@code 1 / L}. The variances are estimated (plug-in), which makes the
 * guarantee asymptotic: a policy looks only after a minimum count per variant, and the simulation in
 * {@code docs/rollouts.md} measures the rate at which it wrongly promotes. {@code tau2} is the squared scale of the
 * differences worth finding: a test is most sensitive to differences near {@code tau}.
 */
public final class SequentialTest {

    private SequentialTest() {
    }

    /**
     * What the observations so far say about a challenger against the incumbent.
     *
     * @param difference      the challenger's mean minus the incumbent's
     * @param variance        the estimate's variance, {@code V}
     * @param likelihoodRatio the mixture likelihood ratio {@code L} (infinite when {@code V} is 0 and the means
     *                        differ)
     * @param pValue          the always-valid p-value: the smallest {@code 1 / L} seen so far, at most 1
     */
    public record Evidence(double difference, double variance, double likelihoodRatio, double pValue) {

        /** Before any observation: nothing is known, the p-value is 1. */
        public static final Evidence NONE = new Evidence(0, 0, 1, 1);
    }

    /**
     * The evidence after the latest observations, given the p-value reached before them ({@code previous}).
     *
     * @param tauSquared the mixing variance, positive
     */
    public static Evidence compare(Tally incumbent, Tally challenger, double tauSquared, Evidence previous) {
        if (!(tauSquared > 0) || Double.isInfinite(tauSquared)) {
            throw new IllegalArgumentException("the mixing variance is a positive number, got " + tauSquared);
        }
        if (incumbent.count() < 2 || challenger.count() < 2) {
            return new Evidence(challenger.mean() - incumbent.mean(), 0, 1, previous.pValue());
        }
        double difference = challenger.mean() - incumbent.mean();
        double variance = challenger.variance() / challenger.count() + incumbent.variance() / incumbent.count();
        double ratio = likelihoodRatio(difference, variance, tauSquared);
        double pValue = Math.min(previous.pValue(), Math.min(1, 1 / ratio));
        return new Evidence(difference, variance, ratio, pValue);
    }

    /** The mixture likelihood ratio of an estimate {@code difference} of variance {@code variance}. */
    static double likelihoodRatio(double difference, double variance, double tauSquared) {
        if (variance == 0) {
            return difference == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        double spread = variance + tauSquared;
        double exponent = tauSquared * difference * difference / (2 * variance * spread);
        // StrictMath: Math.exp may differ in its last bit between JVMs and CPUs, and a rollout's evidence is rebuilt
        // from its events on whichever node replays them; every other operation here is exact IEEE arithmetic
        return Math.sqrt(variance / spread) * StrictMath.exp(exponent);
    }
}
