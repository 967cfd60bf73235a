package io.archipelago.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeds of {@link ExchangeSimulation}: a few in every build; {@code scripts/simulate.sh} runs thousands by setting
 * {@code archipelago.simulation.seeds} and {@code archipelago.simulation.first-seed}, and the totals of the last run
 * are written to {@code target/simulation-report.txt}.
 */
class ExchangeSimulationTest {

    private static final int SEEDS = Integer.getInteger("archipelago.simulation.seeds", 12);
    private static final long FIRST_SEED = Long.getLong("archipelago.simulation.first-seed", 1L);
    private static final int STEPS = Integer.getInteger("archipelago.simulation.steps", 250);

    @Test
    void everySeedKeepsEveryInvariantThroughCrashesAndLyingIslands() throws IOException {
        ExchangeSimulation.Stats total = ExchangeSimulation.Stats.none();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            total = total.plus(ExchangeSimulation.run(seed, STEPS).stats());
        }
        Files.writeString(Path.of("target", "simulation-report.txt"), String.join("\n", List.of(
                "seeds " + FIRST_SEED + ".." + (FIRST_SEED + SEEDS - 1) + ", " + STEPS + " steps each",
                total.toString())) + "\n", StandardCharsets.UTF_8);
        // the runs reach every fault they model, so the invariants were checked where they matter
        assertThat(total.placements()).isPositive();
        assertThat(total.completions()).isPositive();
        assertThat(total.failures()).isPositive();
        assertThat(total.reassignments()).isPositive();
        assertThat(total.cancellations()).isPositive();
        assertThat(total.expiries()).isPositive();
        assertThat(total.crashes()).isPositive();
        assertThat(total.lies()).isPositive();
        assertThat(total.departures()).isPositive();
    }

    @Test
    void aSeedReproducesItsRun() {
        ExchangeSimulation.Run first = ExchangeSimulation.run(42, STEPS);
        ExchangeSimulation.Run again = ExchangeSimulation.run(42, STEPS);
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.stats()).isEqualTo(first.stats());
        assertThat(ExchangeSimulation.run(43, STEPS).events()).isNotEqualTo(first.events());
    }
}
