package io.archipelago.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RttEstimateTest {

    @Test
    void seedsFromTheMedianWarmUpProbeAndReportsOnlyMeaningfulMoves() {
        RttEstimate estimate = new RttEstimate();
        estimate.add(15_000);
        estimate.add(300);
        assertThat(estimate.toReport()).isEqualTo(-1);
        estimate.add(320);
        assertThat(estimate.toReport()).isEqualTo(320);

        for (int probe = 0; probe < 100; probe++) {
            estimate.add(280 + probe % 40);
            assertThat(estimate.toReport()).isEqualTo(-1);
        }
        for (int probe = 0; probe < 40; probe++) {
            estimate.add(20_300);
        }
        long moved = estimate.toReport();
        assertThat(moved).isGreaterThan(15_000);
        assertThat(estimate.toReport()).isEqualTo(-1);
        assertThat(estimate.jitterMicros()).isPositive();
    }
}
