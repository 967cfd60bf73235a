package io.archipelago.coordinator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.InputLimits;
import io.archipelago.bridge.InputTooLarge;
import io.archipelago.bridge.JobInputs;
import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.protocol.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Job inputs in the embedded PostgreSQL, in the {@code job_input} table Flyway created: stored with their owner and
 * size as they were left, read back, deleted one by one or by the sweep once past their retention or maximum age,
 * and refused whole when over the limit. (What the bridge does with them is {@code JobInputsTest}'s.)
 */
class JdbcInputStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @TempDir
    static Path dataDir;
    static CoordinatorNode node;
    static JdbcTemplate sql;
    static JdbcInputStore store;

    private final MovingClock clock = new MovingClock();

    @BeforeAll
    static void start() {
        node = CoordinatorNode.start(dataDir);
        sql = new JdbcTemplate(node.bean(DataSource.class));
        store = new JdbcInputStore(JdbcClient.create(node.bean(DataSource.class)));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void empty() {
        sql.update("DELETE FROM job_input");
    }

    private JobInputs inputs(long maxBytes, Duration retention) {
        return new JobInputs(store, new InputLimits(maxBytes, retention, Duration.ofHours(1)), clock);
    }

    private static ObjectNode prompt(String text) {
        return Codec.json().createObjectNode().put("prompt", text);
    }

    private static int rows() {
        return sql.queryForObject("SELECT count(*) FROM job_input", Integer.class);
    }

    @Test
    void storesAnInputWithItsOwnerAndSizeAsItWasLeftAndReadsItBack() throws Exception {
        String text = "one two three \u0000 four";
        inputs(1_000, Duration.ZERO).put("job-1", "consumer-1", prompt(text));

        Map<String, Object> row = sql.queryForMap("SELECT account_id, size_bytes, created_at, delete_after, input "
                + "FROM job_input WHERE job_id = 'job-1'");
        byte[] json = (byte[]) row.get("input");
        assertThat(row.get("account_id")).isEqualTo("consumer-1");
        assertThat(row.get("size_bytes")).isEqualTo(json.length);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"prompt\":\"one two three \\u0000 four\"}");
        assertThat(store.get("job-1")).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(json));
        assertThat(Codec.json().readTree(store.get("job-1").orElseThrow()).path("prompt").asText()).isEqualTo(text);
        assertThat(store.get("job-none")).isEmpty();
    }

    @Test
    void aSecondInputForTheSameJobReplacesTheFirst() {
        JobInputs inputs = inputs(1_000, Duration.ZERO);
        inputs.put("job-1", prompt("first"));
        inputs.put("job-1", "consumer-1", prompt("second"));

        assertThat(rows()).isEqualTo(1);
        assertThat(new String(store.get("job-1").orElseThrow(), StandardCharsets.UTF_8)).contains("second");
    }

    @Test
    void refusesAnInputOverTheLimitAndStoresNothing() {
        JobInputs inputs = inputs(100, Duration.ZERO);

        assertThatThrownBy(() -> inputs.put("job-big", prompt("x".repeat(100))))
                .isInstanceOf(InputTooLarge.class).hasMessageContaining("limit of 100 bytes");
        assertThat(rows()).isZero();
    }

    @Test
    void deletesOneInput() {
        JobInputs inputs = inputs(1_000, Duration.ZERO);
        inputs.put("job-1", prompt("hello"));
        inputs.put("job-2", prompt("hello"));

        store.delete("job-1");

        assertThat(store.get("job-1")).isEmpty();
        assertThat(store.get("job-2")).isPresent();
    }

    @Test
    void keepsASettledInputForItsRetentionAndTheSweepDeletesItAfterwards() {
        JobInputs inputs = inputs(1_000, Duration.ofMinutes(10));
        inputs.put("job-settled", prompt("hello"));
        inputs.put("job-running", prompt("hello"));
        // what the bridge does at settlement with a retention of ten minutes
        store.deleteAfter("job-settled", T0.plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(9));
        assertThat(inputs.sweep()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(inputs.sweep()).isEqualTo(1);
        assertThat(store.get("job-settled")).isEmpty();
        assertThat(store.get("job-running")).isPresent();
    }

    @Test
    void theSweepDeletesAnInputWhoseSettlementNoCoordinatorSawOnceItIsOlderThanTheMaximumAge() {
        inputs(1_000, Duration.ZERO).put("job-orphaned", prompt("hello"));
        JobInputs restarted = inputs(1_000, Duration.ZERO);

        clock.advance(Duration.ofMinutes(59));
        assertThat(restarted.sweep()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(restarted.sweep()).isEqualTo(1);
        assertThat(rows()).isZero();
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
