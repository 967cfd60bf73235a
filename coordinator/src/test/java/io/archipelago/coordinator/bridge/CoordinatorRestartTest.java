package io.archipelago.coordinator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.access.TestCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that stops while a job streams: whatever the Island sent meanwhile went nowhere, so after the
 * restart the bridge finds the job running in the history and fails it, refunding the consumer. No job stays
 * running because the coordinator went away.
 */
class CoordinatorRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void aJobRunningWhenTheCoordinatorStoppedIsFailedAndRefundedAfterTheRestart() throws Exception {
        Map<String, Object> settings = Map.of("archipelago.bridge.stall-timeout", "1s");
        IslandAgent slow;
        try (BridgedCoordinator first = BridgedCoordinator.start(dataDir, settings).openMarket()) {
            slow = IslandAgent.start(new AgentSettings("slow-1", "host-slow-1", "DE",
                    Map.of(BridgedCoordinator.CARGO.value(), 1_000L), 2, List.of(), first.url(), null, "demo", null,
                    null, Duration.ofSeconds(1)).withKey(TestCredentials.OPERATOR_TOKEN));
            first.send(first.bid("job-interrupted"));
            await().atMost(WAIT).until(() -> first.eventsMentioning("job-interrupted").contains("JobStarted"));
        }
        try (BridgedCoordinator second = BridgedCoordinator.start(dataDir, settings)) {
            await().atMost(WAIT).until(() -> second.eventsMentioning("job-interrupted").contains("JobFailed"));
            assertThat(second.eventsMentioning("job-interrupted")).containsSubsequence("JobPlaced", "JobStarted",
                    "JobFailed", "CreditsReleased").doesNotContain("JobCompleted");
            assertThat(second.jdbc().queryForObject("select count(*) from domain_event_entry where payload_type"
                    + " like '%JobFailed' and convert_from(payload, 'UTF8') like '%coordinator restarted%'",
                    Integer.class)).isEqualTo(1);
        } finally {
            slow.close();
        }
    }
}
