package io.archipelago.coordinator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.access.TestCredentials;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Subscription;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Islands as the coordinator admits them: each gets its own NATS key with the session it asks for, confined to its
 * own subjects, and is watched by its heartbeats.
 */
class IslandSessionsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static BridgedCoordinator coordinator;

    @BeforeAll
    static void start() {
        coordinator = BridgedCoordinator.start(dataDir, Map.of()).openMarket();
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    @Test
    void anIslandCanNeitherReadAnotherIslandsJobsNorPublishItsResults() throws Exception {
        String cargo = BridgedCoordinator.CARGO.value();
        try (RogueIsland a = new RogueIsland(coordinator.url(), "island-a", "AT", cargo, 1_000,
                RogueIsland.Misdeed.STALL);
             RogueIsland b = new RogueIsland(coordinator.url(), "island-b", "DE", cargo, 1_000,
                     RogueIsland.Misdeed.NONE)) {
            Subscription spying = a.nats.subscribe(Subjects.inbound("island-b"));
            a.nats.flush(WAIT);
            List<String> streamed = new CopyOnWriteArrayList<>();
            coordinator.bridge().streams().subscribe("job-of-b", new JobStreamListener() {
                @Override
                public void onChunk(StreamChunk chunk) {
                    streamed.add(chunk.text());
                }

                @Override
                public void onCompleted(long units) {
                    streamed.add("completed");
                }

                @Override
                public void onFailed(String reason) {
                    streamed.add("failed: " + reason);
                }
            });
            // the forgeries go out before the job exists, so none of them can pass for its output in a race
            a.nats.publish(Subjects.results("island-b", "job-of-b"),
                    Codec.encode(JobOutput.chunk("job-of-b", 0, "forged on b's subject")));
            a.nats.flush(WAIT);

            assertThat(coordinator.<Object>send(coordinator.bid("job-of-b",
                    JurisdictionPolicy.countries(Set.of(Country.of("DE")))))).hasFieldOrPropertyWithValue("islandId",
                    new IslandId("island-b"));
            await().atMost(WAIT).until(() -> b.jobs.contains("job-of-b"));
            a.nats.publish(Subjects.results("island-a", "job-of-b"),
                    Codec.encode(JobOutput.chunk("job-of-b", 0, "forged on its own subject")));

            await().atMost(WAIT).until(() -> streamed.contains("completed"));
            assertThat(streamed).containsExactly("ok", "completed");
            assertThat(spying.nextMessage(Duration.ofMillis(100))).isNull();
            assertThat(a.jobs).isEmpty();
            await().atMost(WAIT).untilAsserted(() -> assertThat(a.errors)
                    .anySatisfy(error -> assertThat(error)
                            .containsIgnoringCase("permissions violation for subscription").contains("island.island-b"))
                    .anySatisfy(error -> assertThat(error)
                            .containsIgnoringCase("permissions violation for publish").contains("results.island-b")));
            // a's output for b's job, on a's own subject, reaches no coordinator: each hears its own jobs' subjects
            assertThat(coordinator.bridge().rejections().count(RejectedMessage.Reason.UNEXPECTED)).isZero();
            await().atMost(WAIT).until(() -> coordinator.bridge().heardOutputSubjects() == 0);
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            coordinator.url().resolve("/actuator/prometheus"))
                    .header("Authorization", TestCredentials.OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .containsPattern("archipelago_bridge_rejected_total\\{[^}]*reason=\"unexpected\"[^}]*} 0")
                    .containsPattern("archipelago_bridge_output_subjects(\\{[^}]*})? 0");
        }
    }

    @Test
    void nobodyButTheHolderOfAnIslandsKeyOpensANewSessionForIt() throws Exception {
        Path state = dataDir.resolve("keeper-state");
        AgentSettings keeper = new AgentSettings("keeper-1", "host-keeper-1", "DE",
                Map.of(BridgedCoordinator.CARGO.value(), 1_000L), 2, List.of(), coordinator.url(), null, "demo", null,
                null, Duration.ZERO, Map.of(), List.of(), state, TestCredentials.OPERATOR_TOKEN);
        IslandAgent.start(keeper).close();

        HttpResponse<String> stranger = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        coordinator.url().resolve("/islands/keeper-1/session"))
                .header("Authorization", TestCredentials.OPERATOR)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(409);
        assertThat(stranger.body()).doesNotContain("nkeySeed");
        assertThatThrownBy(() -> IslandAgent.start(new AgentSettings("keeper-1", "host-keeper-1", "DE",
                Map.of(BridgedCoordinator.CARGO.value(), 1_000L), 2, List.of(), coordinator.url(), null, "demo", null,
                null, Duration.ZERO).withKey(TestCredentials.OPERATOR_TOKEN))).hasMessageContaining("409");

        try (IslandAgent restarted = IslandAgent.start(keeper)) {
            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("keeper-1").stream()
                    .filter("IslandWentOnline"::equals).count() == 2);
        }
    }

    @Test
    void anIslandThatStopsAnsweringGoesOfflineAndComesBackWhenItAnswersAgain() throws Exception {
        try (RogueIsland quiet = new RogueIsland(coordinator.url(), "quiet-1", BridgedCoordinator.CARGO.value(),
                1_000, RogueIsland.Misdeed.NONE)) {
            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("quiet-1").contains("IslandRttMeasured"));

            quiet.answersProbes = false;
            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("quiet-1").contains("IslandWentOffline"));
            assertThat(coordinator.jdbc().queryForObject("select count(*) from domain_event_entry where payload_type"
                    + " like '%IslandWentOffline' and convert_from(payload, 'UTF8') like '%\"quiet-1\"%'"
                    + " and convert_from(payload, 'UTF8') like '%HEARTBEATS_MISSED%'", Integer.class)).isEqualTo(1);

            quiet.answersProbes = true;
            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("quiet-1").stream()
                    .filter("IslandWentOnline"::equals).count() == 2);
            assertThat(coordinator.eventsMentioning("quiet-1")).containsSubsequence("IslandWentOnline",
                    "IslandWentOffline", "KarmaChanged", "IslandWentOnline");
        }
    }
}
