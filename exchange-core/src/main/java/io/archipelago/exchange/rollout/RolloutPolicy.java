package io.archipelago.exchange.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a rollout ends: each challenger is compared with the incumbent by a {@link SequentialTest} after every
 * observation, on the primary metric (success or a quality signal: higher is better) and on errors. A challenger
 * better on the primary metric at the significance level is promoted; one worse on errors, or worse on the primary
 * metric, at its level is rolled back; otherwise the rollout goes on. With {@code k} challengers each is tested at
 * the level divided by {@code k} (Bonferroni), so the chance of any false decision stays within the level. No
 * decision before every variant has {@code minimumPerVariant} observations: the plug-in variances need that many to
 * be trusted.
 *
 * @param alpha             the chance of promoting a challenger no better than the incumbent, in (0, 1)
 * @param rollbackAlpha     the chance of rolling back a challenger no worse, in (0, 1)
 * @param tauSquared        the mixing variance of the primary metric's test: the squared size of the differences
 *                          worth finding (0.05 squared: five points of success rate)
 * @param minimumPerVariant observations every variant needs before any decision
 */
public record RolloutPolicy(double alpha, double rollbackAlpha, double tauSquared, long minimumPerVariant) {

    public RolloutPolicy {
        if (!(alpha > 0 && alpha < 1) || !(rollbackAlpha > 0 && rollbackAlpha < 1)) {
            throw new IllegalArgumentException("significance levels are in (0, 1)");
        }
        if (!(tauSquared > 0) || Double.isInfinite(tauSquared) || minimumPerVariant < 2) {
            throw new IllegalArgumentException("the mixing variance is positive and a variant needs 2 or more "
                    + "observations before a decision");
        }
    }

    /** One variant's observations, and the evidence against the incumbent so far (none for the incumbent). */
    public record Variant(String name, Tally primary, Tally errors, SequentialTest.Evidence primaryEvidence,
                          SequentialTest.Evidence errorEvidence) {

        public Variant {
            Objects.requireNonNull(name, "name");
        }

        /** A variant with no observations. */
        public static Variant fresh(String name) {
            return new Variant(name, Tally.EMPTY, Tally.EMPTY, SequentialTest.Evidence.NONE,
                    SequentialTest.Evidence.NONE);
        }

        /** With one more observation: its primary metric's value and whether it failed. */
        public Variant observe(double primaryValue, boolean failed) {
            return withPrimary(primaryValue).withError(failed);
        }

        /** With one more observation of the primary metric alone (a feedback score that came later). */
        public Variant withPrimary(double value) {
            return new Variant(name, primary.add(value), errors, primaryEvidence, errorEvidence);
        }

        /** With one more job that failed or not, and nothing of the primary metric. */
        public Variant withError(boolean failed) {
            return new Variant(name, primary, errors.add(failed ? 1 : 0), primaryEvidence, errorEvidence);
        }
    }

    /** What the policy decided. */
    public enum Verdict {
        /** Not enough evidence yet. */
        CONTINUE,
        /** The challenger named is better on the primary metric: it takes all the traffic. */
        PROMOTE,
        /** The challenger named is worse: its traffic goes back to the incumbent. */
        ROLL_BACK
    }

    /**
     * A decision with its statistics.
     *
     * @param variant  the challenger promoted or rolled back; null to continue
     * @param evidence the test that decided (for {@code CONTINUE}, the primary test closest to deciding)
     * @param reason   in words, for the event and the API
     */
    public record Decision(Verdict verdict, @Nullable String variant, SequentialTest.Evidence evidence,
                           String reason) {
    }

    /**
     * The challengers with their evidence brought up to date, their order kept. Evidence starts only once both sides
     * of a comparison have the minimum: the plug-in variances of a few observations are noise, and a p-value is the
     * running minimum of what it saw, so noise before the minimum would stay in it.
     */
    public List<Variant> update(Variant incumbent, List<Variant> challengers) {
        List<Variant> updated = new ArrayList<>(challengers.size());
        for (Variant challenger : challengers) {
            if (incumbent.primary().count() < minimumPerVariant || challenger.primary().count() < minimumPerVariant) {
                updated.add(challenger);
                continue;
            }
            updated.add(new Variant(challenger.name(), challenger.primary(), challenger.errors(),
                    SequentialTest.compare(incumbent.primary(), challenger.primary(), tauSquared,
                            challenger.primaryEvidence()),
                    SequentialTest.compare(incumbent.errors(), challenger.errors(), tauSquared,
                            challenger.errorEvidence())));
        }
        return updated;
    }

    /** Decides on {@code challengers} whose evidence {@link #update} brought up to date. */
    public Decision decide(Variant incumbent, List<Variant> challengers) {
        if (challengers.isEmpty()) {
            throw new IllegalArgumentException("a rollout has at least one challenger");
        }
        SequentialTest.Evidence closest = SequentialTest.Evidence.NONE;
        if (incumbent.primary().count() < minimumPerVariant
                || challengers.stream().anyMatch(variant -> variant.primary().count() < minimumPerVariant)) {
            return new Decision(Verdict.CONTINUE, null, closest, "fewer than " + minimumPerVariant
                    + " observations on a variant");
        }
        double level = alpha / challengers.size();
        double rollbackLevel = rollbackAlpha / challengers.size();
        @Nullable Variant best = null;
        for (Variant challenger : challengers) {
            SequentialTest.Evidence errors = challenger.errorEvidence();
            if (errors.pValue() <= rollbackLevel && errors.difference() > 0) {
                return new Decision(Verdict.ROLL_BACK, challenger.name(), errors, String.format(
                        Locale.ROOT, "error rate %.4f above the incumbent's %.4f, p = %.3g <= %.3g",
                        challenger.errors().mean(), incumbent.errors().mean(), errors.pValue(), rollbackLevel));
            }
            SequentialTest.Evidence primary = challenger.primaryEvidence();
            if (primary.pValue() <= level && primary.difference() < 0) {
                return new Decision(Verdict.ROLL_BACK, challenger.name(), primary, String.format(
                        Locale.ROOT, "primary metric %.4f below the incumbent's %.4f, p = %.3g <= %.3g",
                        challenger.primary().mean(), incumbent.primary().mean(), primary.pValue(), level));
            }
            if (primary.pValue() <= level && primary.difference() > 0
                    && (best == null || primary.difference() > best.primaryEvidence().difference())) {
                best = challenger;
            }
            if (primary.pValue() < closest.pValue()) {
                closest = primary;
            }
        }
        if (best != null) {
            SequentialTest.Evidence primary = best.primaryEvidence();
            return new Decision(Verdict.PROMOTE, best.name(), primary, String.format(Locale.ROOT,
                    "primary metric %.4f above the incumbent's %.4f, p = %.3g <= %.3g", best.primary().mean(),
                    incumbent.primary().mean(), primary.pValue(), level));
        }
        return new Decision(Verdict.CONTINUE, null, closest, "no challenger differs at the level yet");
    }
}
