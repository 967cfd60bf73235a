package io.archipelago.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator killed with SIGKILL leaves its nats-server running; the next coordinator on the same data and the
 * same NATS port stops that orphan, starts its own, and admits the demo Islands again with the keys they kept.
 */
class KilledCoordinatorTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theNextCoordinatorStopsTheOrphanedNatsServerAndAdmitsTheDemoIslandsAgain() throws Exception {
        int natsPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            natsPort = free.getLocalPort();
        }
        Map<String, Object> settings = Map.of("archipelago.demo-islands", true, "archipelago.nats.port", natsPort,
                "archipelago.bridge.probe-interval", "200ms", "archipelago.demo.container-cargo", false);
        CoordinatorProcess first = CoordinatorProcess.start(dir, List.of("-Xmx512m"), settings);
        long orphan;
        try {
            awaitDemoAnswer(first);
            orphan = ProcessHandle.of(first.pid()).orElseThrow().descendants()
                    .filter(child -> child.info().command().orElse("").endsWith("/nats-server"))
                    .findFirst().orElseThrow().pid();
            first.kill();
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("outlived its coordinator")
                    .isPresent();

            try (CoordinatorProcess second = CoordinatorProcess.start(dir, List.of("-Xmx512m"), settings)) {
                assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
                awaitDemoAnswer(second);
                assertThat(second.complaints().keySet()).noneMatch(line -> line.contains("did not start"));
            }
        } finally {
            first.close();
        }
    }

    /** A chat on the demo market, as its consumer, answered by a demo Island. */
    private void awaitDemoAnswer(CoordinatorProcess coordinator) {
        Path keyFile = dir.resolve("data").resolve("demo-consumer-key");
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
            HttpResponse<String> chat = http.send(HttpRequest.newBuilder(coordinator.url()
                            .resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llm.chat.demo\",\"messages\":"
                            + "[{\"role\":\"user\",\"content\":\"after the crash\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(json.readTree(chat.body()).path("choices").get(0).path("message").path("content").asText())
                    .isNotEmpty();
        });
    }
}
