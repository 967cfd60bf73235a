package io.archipelago.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JobInputsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    private final MemoryInputStore store = new MemoryInputStore();
    private final MovingClock clock = new MovingClock();

    private static ObjectNode prompt(String text) {
        return Codec.json().createObjectNode().put("prompt", text);
    }

    @Test
    void storesAnInputWithItsOwnerBeforePutReturnsAndReadsItBackInAnotherProcess() {
        new JobInputs(store, new InputLimits(1_000, Duration.ZERO, Duration.ofHours(1)), clock)
                .put("job-1", "consumer-1", prompt("hello there"));

        assertThat(store.rows.get("job-1").account()).isEqualTo("consumer-1");
        assertThat(store.rows.get("job-1").deleteAfter()).isEqualTo(T0.plus(Duration.ofHours(1)));
        JobInputs restarted = new JobInputs(store, new InputLimits(1_000, Duration.ZERO, Duration.ofHours(1)), clock);
        assertThat(restarted.get("job-1").path("prompt").asText()).isEqualTo("hello there");
        assertThat(restarted.get("job-unknown").isEmpty()).isTrue();
    }

    @Test
    void refusesAnInputOverTheLimitAndStoresNothingOfIt() {
        JobInputs inputs = new JobInputs(store, new InputLimits(30, Duration.ZERO, Duration.ofHours(1)), clock);
        inputs.put("job-fits", prompt("x".repeat(30 - 13)));

        assertThatThrownBy(() -> inputs.put("job-big", prompt("x".repeat(30 - 12))))
                .isInstanceOfSatisfying(InputTooLarge.class, refused -> {
                    assertThat(refused.bytes()).isEqualTo(31);
                    assertThat(refused.limit()).isEqualTo(30);
                });
        assertThat(store.rows).containsOnlyKeys("job-fits");
        assertThat(inputs.get("job-big").isEmpty()).isTrue();
    }

    @Test
    void deletesAtSettlementWithoutRetention() {
        JobInputs inputs = new JobInputs(store, new InputLimits(1_000, Duration.ZERO, Duration.ofHours(1)), clock);
        inputs.put("job-1", prompt("hello"));

        inputs.forget("job-1");

        assertThat(store.rows).isEmpty();
        assertThat(inputs.get("job-1").isEmpty()).isTrue();
    }

    @Test
    void keepsASettledInputForTheRetentionThenTheSweepDeletesIt() {
        JobInputs inputs = new JobInputs(store, new InputLimits(1_000, Duration.ofMinutes(10), Duration.ofHours(1)),
                clock);
        inputs.put("job-1", prompt("hello"));
        inputs.forget("job-1");

        clock.advance(Duration.ofMinutes(9));
        assertThat(inputs.sweep()).isZero();
        assertThat(store.rows).containsOnlyKeys("job-1");
        clock.advance(Duration.ofMinutes(2));
        assertThat(inputs.sweep()).isEqualTo(1);
        assertThat(store.rows).isEmpty();
    }

    @Test
    void theSweepDeletesInputsWhoseSettlementWasNeverSeenOnceTheyAreOlderThanTheMaximumAge() {
        JobInputs before = new JobInputs(store, new InputLimits(1_000, Duration.ZERO, Duration.ofHours(1)), clock);
        before.put("job-settled-while-away", prompt("hello"));
        JobInputs after = new JobInputs(store, new InputLimits(1_000, Duration.ZERO, Duration.ofHours(1)), clock);

        // a settlement read from the history at start: this process never held the input, the sweep takes it
        after.forget("job-settled-while-away");
        assertThat(store.rows).containsOnlyKeys("job-settled-while-away");
        clock.advance(Duration.ofMinutes(61));
        assertThat(after.sweep()).isEqualTo(1);
        assertThat(store.rows).isEmpty();
        assertThat(before.get("job-settled-while-away").path("prompt").asText()).isEqualTo("hello");
        before.sweep();
        assertThat(before.get("job-settled-while-away").isEmpty()).isTrue();
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {

        private Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
