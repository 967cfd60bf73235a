package io.archipelago.coordinator.readside;

import static org.awaitility.Awaitility.await;

import io.archipelago.coordinator.CoordinatorNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the read-side tests share about starting coordinators and waiting for their processors. */
final class ReadSideNodes {

    /** The processors a test waits for: the read models and the hash chain. */
    static final List<String> PROCESSORS = List.of("projections", "event-chain");

    private ReadSideNodes() {
    }

    /** A free port, so that a restarted coordinator finds its embedded PostgreSQL where it left it. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** A benchmark's setting from the environment ({@code scripts/bench-readside*.sh} set them), or its default. */
    static String setting(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** Coordinator settings on top of a benchmark's own, from {@code BENCH_PROPERTIES} ({@code a=b,c=d}). */
    static Map<String, Object> benchProperties() {
        Map<String, Object> properties = new HashMap<>();
        for (String pair : setting("BENCH_PROPERTIES", "").split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                properties.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
        return properties;
    }

    /** Settings of a coordinator without the Island bridge, whose NATS server these tests do not need. */
    static Map<String, Object> withoutBridge(int postgresPort) {
        return Map.of("archipelago.bridge.enabled", false, "archipelago.postgres.port", postgresPort);
    }

    /** Waits until the read models and the hash chain have processed every stored event. */
    static void awaitCaughtUp(CoordinatorNode node) {
        awaitCaughtUp(node.bean(Configuration.class), node.jdbc());
    }

    static void awaitCaughtUp(Configuration axon, JdbcTemplate jdbc) {
        await().atMost(Duration.ofSeconds(120)).until(() -> caughtUp(axon, jdbc, PROCESSORS));
    }

    /** Waits until the read models (not the hash chain) have every stored event. */
    static void awaitProjected(CoordinatorNode node) {
        await().atMost(Duration.ofSeconds(120)).until(() -> caughtUp(node.bean(Configuration.class), node.jdbc(),
                List.of("projections")));
    }

    /** Waits until the hash chain has linked {@code events} events. */
    static void awaitChained(CoordinatorNode node, long events) {
        await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(200)).until(() -> node.jdbc()
                .queryForObject("SELECT count(*) FROM event_chain", Long.class) >= events);
    }

    private static boolean caughtUp(Configuration axon, JdbcTemplate jdbc, List<String> processors) {
        Long head = jdbc.queryForObject("SELECT COALESCE(max(global_index), 0) FROM domain_event_entry", Long.class);
        for (String name : processors) {
            StreamingEventProcessor processor = axon.eventProcessingConfiguration()
                    .eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            double covered = status.values().stream()
                    .mapToDouble(segment -> 1.0 / (segment.getSegment().getMask() + 1)).sum();
            if (covered < 0.999 || !status.values().stream().allMatch(segment -> segment.isCaughtUp()
                    && segment.getCurrentPosition().orElse(-1) >= head)) {
                return false;
            }
        }
        return true;
    }
}
