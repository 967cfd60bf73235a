package io.archipelago.exchange.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPolicyTest {

    private final RolloutPolicy policy = new RolloutPolicy(0.05, 0.05, 0.0025, 100);

    @Test
    void decidesNothingBeforeEveryVariantHasItsMinimum() {
        RolloutPolicy.Variant incumbent = observed("v1", 500, 0.5);
        RolloutPolicy.Variant challenger = observed("v2", 99, 1.0);
        RolloutPolicy.Decision decision = policy.decide(incumbent, policy.update(incumbent, List.of(challenger)));
        assertThat(decision.verdict()).isEqualTo(RolloutPolicy.Verdict.CONTINUE);
        assertThat(decision.reason()).contains("100");
    }

    @Test
    void promotesTheBetterOfTwoChallengersAtHalfTheLevel() {
        RolloutPolicy.Variant incumbent = observed("v1", 2_000, 0.80);
        RolloutPolicy.Variant good = observed("v2", 2_000, 0.90);
        RolloutPolicy.Variant better = observed("v3", 2_000, 0.95);
        RolloutPolicy.Decision decision = policy.decide(incumbent,
                policy.update(incumbent, List.of(good, better)));
        assertThat(decision.verdict()).isEqualTo(RolloutPolicy.Verdict.PROMOTE);
        assertThat(decision.variant()).isEqualTo("v3");
        assertThat(decision.evidence().pValue()).isLessThanOrEqualTo(0.025);
        assertThat(decision.reason()).contains("0.9500", "0.8000", "0.025");
    }

    @Test
    void rollsBackAChallengerThatFailsMore() {
        RolloutPolicy.Variant incumbent = observed("v1", 2_000, 0.95);
        RolloutPolicy.Variant failing = observed("v2", 2_000, 0.80);
        RolloutPolicy.Decision decision = policy.decide(incumbent, policy.update(incumbent, List.of(failing)));
        assertThat(decision.verdict()).isEqualTo(RolloutPolicy.Verdict.ROLL_BACK);
        assertThat(decision.variant()).isEqualTo("v2");
        assertThat(decision.reason()).startsWith("error rate");
    }

    @Test
    void continuesWhileTheVariantsAreAlike() {
        RolloutPolicy.Variant incumbent = observed("v1", 2_000, 0.90);
        RolloutPolicy.Variant same = observed("v2", 2_000, 0.90);
        RolloutPolicy.Decision decision = policy.decide(incumbent, policy.update(incumbent, List.of(same)));
        assertThat(decision.verdict()).isEqualTo(RolloutPolicy.Verdict.CONTINUE);
        assertThat(decision.variant()).isNull();
    }

    /** A variant with {@code count} observations of which exactly the share {@code rate} succeeded, spread evenly. */
    private static RolloutPolicy.Variant observed(String name, int count, double rate) {
        RolloutPolicy.Variant variant = RolloutPolicy.Variant.fresh(name);
        double owed = 0;
        for (int i = 0; i < count; i++) {
            owed += rate;
            boolean success = owed >= 1 - 1e-9;
            if (success) {
                owed -= 1;
            }
            variant = variant.observe(success ? 1 : 0, !success);
        }
        return variant;
    }
}
