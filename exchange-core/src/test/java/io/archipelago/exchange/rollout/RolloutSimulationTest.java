package io.archipelago.exchange.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of rollouts between two stand-in versions whose success rates are set, checked by the
 * {@link RolloutPolicy} after every observation. A/A (equal rates): how often a challenger is wrongly promoted, which
 * must stay at or under alpha; A/B with a known effect: how many observations a promotion took. The build runs a
 * few hundred of each; {@code scripts/simulate-rollouts.sh} runs more (system property
 * {@code archipelago.rollouts.simulations}) and writes the report to {@code target/rollout-simulation.txt}.
 */
class RolloutSimulationTest {

    private static final int SIMULATIONS = Integer.getInteger("archipelago.rollouts.simulations", 300);
    private static final int HORIZON = Integer.getInteger("archipelago.rollouts.horizon", 5_000);
    /** The one-sided normal quantile at 0.05: a classical test's threshold for "better". */
    private static final double Z_ONE_SIDED_AT_ALPHA = 1.6449;
    private static final RolloutPolicy POLICY = new RolloutPolicy(0.05, 0.05, 0.05 * 0.05, 100);

    /** What one simulated rollout ended with, and after how many observations per variant. */
    private record Outcome(RolloutPolicy.Verdict verdict, String variant, int observations, boolean peeked) {
    }

    @Test
    void aaRolloutsPromoteAtOrUnderAlphaAndKnownEffectsArePromoted() throws IOException {
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "rollout simulation: %d rollouts per case, up to %d observations per"
                + " variant, checked after every observation; alpha %.2f, rollback alpha %.2f, tau %.3f, "
                + "minimum %d per variant", SIMULATIONS, HORIZON, POLICY.alpha(), POLICY.rollbackAlpha(),
                Math.sqrt(POLICY.tauSquared()), POLICY.minimumPerVariant()));
        double falsePromotions = 0;
        for (double rate : new double[] {0.5, 0.9, 0.98}) {
            Summary aa = run(rate, rate, 1_000 + (long) (rate * 100));
            report.add(aa.line("A/A", rate, rate));
            falsePromotions = Math.max(falsePromotions, aa.share(RolloutPolicy.Verdict.PROMOTE));
        }
        double[][] effects = {{0.90, 0.92}, {0.90, 0.95}, {0.80, 0.90}, {0.95, 0.90}};
        double smallestPower = 1;
        for (double[] effect : effects) {
            Summary ab = run(effect[0], effect[1], 2_000 + (long) (effect[1] * 1000));
            report.add(ab.line("A/B", effect[0], effect[1]));
            if (effect[1] - effect[0] >= 0.05) {
                smallestPower = Math.min(smallestPower, ab.share(RolloutPolicy.Verdict.PROMOTE));
            }
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.write(target.resolve("rollout-simulation.txt"), report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);

        assertThat(falsePromotions).as("false promotions in A/A rollouts").isLessThanOrEqualTo(POLICY.alpha());
        assertThat(smallestPower).as("promotions of a challenger five points or more better").isGreaterThan(0.8);
    }

    private static Summary run(double incumbentRate, double challengerRate, long seed) {
        Random random = new Random(seed);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < SIMULATIONS; i++) {
            outcomes.add(rollout(random, incumbentRate, challengerRate));
        }
        return new Summary(outcomes);
    }

    /** One rollout: the two variants take turns (an even split), and the policy looks after every observation. */
    private static Outcome rollout(Random random, double incumbentRate, double challengerRate) {
        RolloutPolicy.Variant incumbent = RolloutPolicy.Variant.fresh("v1");
        RolloutPolicy.Variant challenger = RolloutPolicy.Variant.fresh("v2");
        // the anchor: a fixed-horizon z-test at the same level, peeked at after every observation
        boolean peeked = false;
        for (int n = 1; n <= HORIZON; n++) {
            boolean first = random.nextDouble() < incumbentRate;
            boolean second = random.nextDouble() < challengerRate;
            incumbent = incumbent.observe(first ? 1 : 0, !first);
            challenger = challenger.observe(second ? 1 : 0, !second);
            List<RolloutPolicy.Variant> challengers = POLICY.update(incumbent, List.of(challenger));
            challenger = challengers.get(0);
            peeked = peeked || (n >= POLICY.minimumPerVariant() && zScore(incumbent.primary(), challenger.primary())
                    > Z_ONE_SIDED_AT_ALPHA);
            RolloutPolicy.Decision decision = POLICY.decide(incumbent, challengers);
            if (decision.verdict() != RolloutPolicy.Verdict.CONTINUE) {
                return new Outcome(decision.verdict(), decision.variant(), n, peeked);
            }
        }
        return new Outcome(RolloutPolicy.Verdict.CONTINUE, "", HORIZON, peeked);
    }

    private static double zScore(Tally incumbent, Tally challenger) {
        double variance = challenger.variance() / challenger.count() + incumbent.variance() / incumbent.count();
        return variance == 0 ? 0 : (challenger.mean() - incumbent.mean()) / Math.sqrt(variance);
    }

    private record Summary(List<Outcome> outcomes) {

        double share(RolloutPolicy.Verdict verdict) {
            return outcomes.stream().filter(outcome -> outcome.verdict() == verdict).count()
                    / (double) outcomes.size();
        }

        String line(String kind, double incumbentRate, double challengerRate) {
            int[] promoted = outcomes.stream().filter(o -> o.verdict() == RolloutPolicy.Verdict.PROMOTE)
                    .mapToInt(Outcome::observations).sorted().toArray();
            int[] rolledBack = outcomes.stream().filter(o -> o.verdict() == RolloutPolicy.Verdict.ROLL_BACK)
                    .mapToInt(Outcome::observations).sorted().toArray();
            return String.format(Locale.ROOT, "%s success %.2f vs %.2f: promoted %5.1f%% (observations per variant"
                            + " %s), rolled back %5.1f%% (%s), undecided %5.1f%%; a z-test peeked at after every"
                            + " observation would have called it better in %5.1f%%", kind, incumbentRate,
                    challengerRate, 100 * share(RolloutPolicy.Verdict.PROMOTE), quantiles(promoted),
                    100 * share(RolloutPolicy.Verdict.ROLL_BACK), quantiles(rolledBack),
                    100 * share(RolloutPolicy.Verdict.CONTINUE),
                    100.0 * outcomes.stream().filter(Outcome::peeked).count() / outcomes.size());
        }

        private static String quantiles(int[] sorted) {
            if (sorted.length == 0) {
                return "none";
            }
            return String.format(Locale.ROOT, "p50 %d, p90 %d", sorted[sorted.length / 2],
                    sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.9) - 1)]);
        }
    }
}
