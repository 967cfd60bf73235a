package io.archipelago.coordinator.http;

import io.archipelago.access.TestCredentials;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The coordinator's settings for an HTTP test: its own embedded PostgreSQL in a temporary directory without fsync;
 * no NATS bridge and no Kafka, which the exchange's HTTP slice does not need.
 */
final class HttpTestProperties {

    private HttpTestProperties() {
    }

    static void register(DynamicPropertyRegistry registry, Supplier<Path> dataDir) {
        registry.add("archipelago.data-dir", () -> dataDir.get().toString());
        registry.add(TestCredentials.PROPERTY, () -> TestCredentials.OPERATOR_TOKEN);
        registry.add("archipelago.postgres.port", () -> 0);
        registry.add("archipelago.postgres.durable", () -> false);
        registry.add("archipelago.bridge.enabled", () -> false);
        registry.add("archipelago.kafka.embedded", () -> false);
        registry.add("archipelago.kafka.export.enabled", () -> false);
        registry.add("logging.level.io.zonky", () -> "WARN");
        registry.add("logging.level.org.axonframework", () -> "WARN");
        registry.add("logging.level.org.flywaydb", () -> "WARN");
    }
}
