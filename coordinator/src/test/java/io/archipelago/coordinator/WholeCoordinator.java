package io.archipelago.coordinator;

import static org.awaitility.Awaitility.await;

import io.archipelago.access.TestCredentials;
import io.archipelago.projections.market.MarketViews;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole coordinator started in the test's JVM as an operator starts it, web server, nats-server and island bridge
 * included: embedded PostgreSQL without fsync and NATS on free ports, the test operator token, Kafka off (tested on
 * its own). Properties given on top win, as an operator's settings do.
 */
public final class WholeCoordinator {

    /** The demo Islands' chat market. */
    public static final String DEMO_MODEL = "llm.chat.demo";
    private static final Duration DEMO_ISLANDS_ONLINE = Duration.ofSeconds(60);

    private WholeCoordinator() {
    }

    /** A coordinator on {@code dataDir} with {@code properties} on top of the test defaults. */
    public static ConfigurableApplicationContext start(Path dataDir, Map<String, ?> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("server.port", 0);
        all.put("archipelago.data-dir", dataDir.toString());
        all.put("archipelago.postgres.port", 0);
        all.put("archipelago.postgres.durable", false);
        all.put("archipelago.nats.port", 0);
        all.put("archipelago.kafka.export.enabled", false);
        all.put("archipelago.kafka.embedded", false);
        all.put(TestCredentials.PROPERTY, TestCredentials.OPERATOR_TOKEN);
        all.put("logging.level.io.zonky", "WARN");
        all.put("logging.level.org.axonframework", "WARN");
        all.put("logging.level.org.flywaydb", "WARN");
        all.putAll(properties);
        // as command-line arguments, because they must win over application.yml
        String[] arguments = all.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CoordinatorApplication.class).run(arguments);
    }

    /**
     * As {@link #start}, with the demo Islands, once the three chat Islands (Frankfurt DE, Zurich CH, Amsterdam NL) are
     * online on {@value #DEMO_MODEL}. The demo's container Island (a registry, an image build, runc) only where
     * {@code archipelago.demo.container-cargo=true} is given: the tests of everything else don't pay for it.
     */
    public static ConfigurableApplicationContext withDemoIslands(Path dataDir, Map<String, ?> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("archipelago.demo-islands", true);
        all.putIfAbsent("archipelago.demo.container-cargo", false);
        ConfigurableApplicationContext coordinator = start(dataDir, all);
        MarketViews markets = coordinator.getBean(MarketViews.class);
        await().atMost(DEMO_ISLANDS_ONLINE).until(() -> markets.find(DEMO_MODEL)
                .map(market -> market.onlineAsks() == 3).orElse(false));
        return coordinator;
    }

    /** Where {@code coordinator} listens for HTTP. */
    public static URI url(ConfigurableApplicationContext coordinator) {
        return URI.create("http://127.0.0.1:" + coordinator.getEnvironment().getProperty("local.server.port"));
    }
}
