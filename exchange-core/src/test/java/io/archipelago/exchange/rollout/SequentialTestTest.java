package io.archipelago.exchange.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import org.junit.jupiter.api.Test;

class SequentialTestTest {

    @Test
    void theClosedFormIsTheMixtureOfLikelihoodRatiosItIsDefinedAs() {
        qt().forAll(doubles().between(-0.05, 0.05), doubles().between(1e-3, 0.05), doubles().between(1e-3, 0.05))
                .checkAssert((difference, variance, tauSquared) -> assertThat(
                        SequentialTest.likelihoodRatio(difference, variance, tauSquared))
                        .isCloseTo(mixtureByIntegration(difference, variance, tauSquared),
                                within(1e-6 * Math.max(1, mixtureByIntegration(difference, variance, tauSquared)))));
    }

    @Test
    void equalArmsGiveThePublishedTwoSampleStatistic() {
        // Johari et al., KDD 2017: with n per arm and variance s2,
        // L = sqrt(2 s2 / (2 s2 + n tau2)) exp(n^2 tau2 d^2 / (4 s2 (2 s2 + n tau2)));
        // n = 100, s2 = 1, tau2 = 1, d = 0.3 gives sqrt(2 / 102) exp(900 / 408)
        double expected = Math.sqrt(2.0 / 102) * Math.exp(900.0 / 408);
        assertThat(expected).isCloseTo(1.2713, within(1e-4));
        assertThat(SequentialTest.likelihoodRatio(0.3, 2.0 / 100, 1)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void thePValueIsTheRunningMinimumOfOneOverTheRatio() {
        Tally incumbent = Tally.EMPTY;
        Tally challenger = Tally.EMPTY;
        for (int i = 0; i < 400; i++) {
            incumbent = incumbent.add(i % 2);
            challenger = challenger.add(i % 5 == 0 ? 0 : 1);
        }
        SequentialTest.Evidence strong = SequentialTest.compare(incumbent, challenger, 0.0025,
                SequentialTest.Evidence.NONE);
        assertThat(strong.difference()).isCloseTo(0.3, within(1e-9));
        assertThat(strong.pValue()).isCloseTo(1 / strong.likelihoodRatio(), within(1e-12)).isLessThan(0.001);
        // later observations that weaken the evidence never raise the p-value already reached
        SequentialTest.Evidence later = SequentialTest.compare(incumbent, incumbent, 0.0025, strong);
        assertThat(later.likelihoodRatio()).isLessThan(1);
        assertThat(later.pValue()).isEqualTo(strong.pValue());
    }

    @Test
    void tooFewObservationsSayNothing() {
        SequentialTest.Evidence evidence = SequentialTest.compare(Tally.EMPTY.add(1), Tally.EMPTY.add(0), 0.01,
                SequentialTest.Evidence.NONE);
        assertThat(evidence.likelihoodRatio()).isEqualTo(1);
        assertThat(evidence.pValue()).isEqualTo(1);
        assertThatThrownBy(() -> SequentialTest.compare(Tally.EMPTY, Tally.EMPTY, 0,
                SequentialTest.Evidence.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tally.EMPTY.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTallyKnowsItsMeanAndSampleVariance() {
        Tally tally = Tally.EMPTY.add(1).add(2).add(3).add(4);
        assertThat(tally.mean()).isEqualTo(2.5);
        assertThat(tally.variance()).isCloseTo(5.0 / 3, within(1e-12));
    }

    /**
     * The ratio by its definition: the likelihood of the estimate under N(theta, V), mixed over theta ~ N(0, tau2),
     * over its likelihood under N(0, V); Simpson's rule over ten standard deviations of the mixing distribution.
     */
    private static double mixtureByIntegration(double difference, double variance, double tauSquared) {
        double tau = Math.sqrt(tauSquared);
        int steps = 20_000;
        double from = -10 * tau;
        double width = 20 * tau / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double theta = from + i * width;
            double weight = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += weight * normal(difference, theta, variance) * normal(theta, 0, tauSquared);
        }
        return sum * width / 3 / normal(difference, 0, variance);
    }

    private static double normal(double x, double mean, double variance) {
        return Math.exp(-(x - mean) * (x - mean) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
    }
}
