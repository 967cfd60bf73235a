package io.archipelago.projections.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CargoReputationTest {

    @Test
    void aNewVersionSitsAtThePrior() {
        assertThat(CargoReputation.score(0, 0, 0, 0, 0, 0)).isEqualTo(4.0);
    }

    @Test
    void evidenceOutweighsThePriorInProportionToItsAmount() {
        // Beta(4 + 95, 1 + 0): mean 99 / 100
        assertThat(CargoReputation.score(95, 0, 0, 0, 0, 0)).isEqualTo(4.95);
        // Beta(4 + 45, 1 + 50): mean 49 / 100
        assertThat(CargoReputation.score(45, 40, 10, 0, 0, 0)).isEqualTo(2.45);
    }

    @Test
    void ratingsAndComplaintsCountAsPartsOfRuns() {
        // a 1-star rating is one bad run, a 5-star one a good run, a complaint a bad run
        assertThat(CargoReputation.score(0, 0, 0, 0, 1, 1)).isEqualTo(CargoReputation.score(0, 1, 0, 0, 0, 0));
        assertThat(CargoReputation.score(0, 0, 0, 0, 1, 5)).isEqualTo(CargoReputation.score(1, 0, 0, 0, 0, 0));
        assertThat(CargoReputation.score(10, 0, 0, 2, 0, 0)).isEqualTo(CargoReputation.score(10, 2, 0, 0, 0, 0));
        // 3 stars is half a good run and half a bad one
        assertThat(CargoReputation.posterior(0, 0, 0, 0, 1, 3).good()).isCloseTo(4.5, within(1e-9));
    }

    @Test
    void ranksAThousandGoodRunsAboveThreeLuckyOnes() {
        double lucky = CargoReputation.lowerBound(3, 0, 0, 0, 0, 0);
        double proven = CargoReputation.lowerBound(980, 20, 0, 0, 0, 0);

        // the prior already keeps three perfect runs (7 / 8 = 4.38) below 980 in 1,000 (984 / 1,005 = 4.90)
        assertThat(CargoReputation.score(3, 0, 0, 0, 0, 0)).isEqualTo(4.38);
        assertThat(CargoReputation.score(980, 20, 0, 0, 0, 0)).isEqualTo(4.9);
        // and the pessimistic bound, which ranks, widens the gap by how little is known of the lucky one
        assertThat(proven).isGreaterThan(4.8);
        // Beta(7, 1): 0.875 - 2 x 0.110 = 0.655
        assertThat(lucky).isEqualTo(3.27);
    }
}
