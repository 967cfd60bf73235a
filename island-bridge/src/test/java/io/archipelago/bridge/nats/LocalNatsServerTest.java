package io.archipelago.bridge.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.SessionProof;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNatsServerTest {

    @TempDir
    static Path directory;

    private static LocalNatsServer server;

    @BeforeAll
    static void start() {
        server = LocalNatsServer.start(directory, 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connect(String seed, List<String> errors) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(server.url()).authHandler(NKeyAuth.fromSeed(seed))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection connection, String error) {
                        errors.add(error);
                    }
                }).build());
    }

    @Test
    void bindsToLoopbackAndLetsOnlyKnownKeysIn() {
        assertThat(server.url()).startsWith("nats://127.0.0.1:");
        assertThatThrownBy(() -> Nats.connect(new Options.Builder().server(server.url()).noReconnect().build()))
                .isInstanceOf(Exception.class);
    }

    @Test
    void anIslandReadsOnlyItsOwnJobsAndPublishesOnlyItsOwnResults() throws Exception {
        IslandSession a = server.admit("island-a");
        server.admit("island-b");
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection coordinator = connect(server.coordinatorSeed(), new CopyOnWriteArrayList<>());
             Connection islandA = connect(a.nkeySeed(), errors)) {
            Subscription others = islandA.subscribe(Subjects.inbound("island-b"));
            Subscription own = islandA.subscribe(Subjects.inbound("island-a"));
            Subscription results = coordinator.subscribe(Subjects.ALL_RESULTS);
            islandA.flush(Duration.ofSeconds(2));
            coordinator.flush(Duration.ofSeconds(2));

            coordinator.publish(Subjects.jobs("island-b"), "secret job of b".getBytes(StandardCharsets.UTF_8));
            coordinator.publish(Subjects.jobs("island-a"), "job of a".getBytes(StandardCharsets.UTF_8));
            islandA.publish(Subjects.results("island-b", "job-of-b"), "forged".getBytes(StandardCharsets.UTF_8));
            islandA.publish(Subjects.results("island-a", "job-of-a"), "own".getBytes(StandardCharsets.UTF_8));

            // Each connection delivers in order: what arrives after the last message would have arrived before it.
            Message ownJob = own.nextMessage(Duration.ofSeconds(2));
            assertThat(new String(ownJob.getData(), StandardCharsets.UTF_8)).isEqualTo("job of a");
            assertThat(others.nextMessage(Duration.ofMillis(1))).isNull();
            Message result = results.nextMessage(Duration.ofSeconds(2));
            assertThat(result.getSubject()).isEqualTo(Subjects.results("island-a", "job-of-a"));
            assertThat(results.nextMessage(Duration.ofMillis(1))).isNull();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(errors)
                    .anySatisfy(error -> assertThat(error).containsIgnoringCase("permissions violation for publish"))
                    .anySatisfy(error -> assertThat(error).containsIgnoringCase("permissions violation for sub")));
        }
    }

    @Test
    void anIslandWithAKeyIsReadmittedOnlyWithProofOfIt() throws Exception {
        IslandSession first = server.admit("island-d", null, Instant.now());

        assertThatThrownBy(() -> server.admit("island-d", null, Instant.now()))
                .isInstanceOf(IslandAdmission.SessionRefused.class);
        IslandSession impostor = server.admit("island-e", null, Instant.now());
        assertThatThrownBy(() -> server.admit("island-d", SessionProof.sign("island-d", impostor.nkeySeed(),
                Instant.now()), Instant.now())).isInstanceOf(IslandAdmission.SessionRefused.class);
        IslandSession second = server.admit("island-d", SessionProof.sign("island-d", first.nkeySeed(),
                Instant.now()), Instant.now());
        assertThat(second.nkeySeed()).isNotEqualTo(first.nkeySeed());
    }

    @Test
    void aReadmittedIslandsOldKeyNoLongerWorks() throws Exception {
        IslandSession first = server.admit("island-c");
        IslandSession second = server.admit("island-c");

        assertThat(second.nkeySeed()).isNotEqualTo(first.nkeySeed());
        assertThatThrownBy(() -> Nats.connect(new Options.Builder().server(server.url()).noReconnect()
                .authHandler(NKeyAuth.fromSeed(first.nkeySeed())).build())).isInstanceOf(Exception.class);
        try (Connection ignored = connect(second.nkeySeed(), new CopyOnWriteArrayList<>())) {
            assertThat(ignored.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }
}
