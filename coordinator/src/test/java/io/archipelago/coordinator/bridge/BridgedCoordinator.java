package io.archipelago.coordinator.bridge;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.access.TestCredentials;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A whole coordinator for a bridge test: HTTP on a free port, embedded PostgreSQL without fsync, its own
 * nats-server on a free port, and a bridge that probes every 100 ms and gives up on a silent job after 2 s.
 */
final class BridgedCoordinator implements AutoCloseable {

    static final CargoType CARGO = new CargoType("llm.chat.demo");
    static final AccountId CONSUMER = new AccountId("consumer-1");

    private final ConfigurableApplicationContext context;

    private BridgedCoordinator(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static BridgedCoordinator start(Path dataDir, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("archipelago.data-dir", dataDir.toString());
        properties.put(TestCredentials.PROPERTY, TestCredentials.OPERATOR_TOKEN);
        properties.put("archipelago.postgres.port", 0);
        properties.put("archipelago.postgres.durable", false);
        properties.put("archipelago.nats.port", 0);
        properties.put("archipelago.bridge.probe-interval", "100ms");
        properties.put("archipelago.bridge.probe-timeout", "400ms");
        properties.put("archipelago.bridge.missed-probes", 3);
        properties.put("archipelago.bridge.accept-timeout", "2s");
        properties.put("archipelago.bridge.stall-timeout", "2s");
        properties.put("archipelago.bridge.job-deadline", "20s");
        // the event export to Kafka is not what these tests are about, and its broker costs seconds to start
        properties.put("archipelago.kafka.export.enabled", false);
        properties.put("archipelago.kafka.embedded", false);
        properties.put("logging.level.io.zonky", "WARN");
        properties.put("logging.level.org.axonframework", "WARN");
        properties.put("logging.level.org.flywaydb", "WARN");
        properties.putAll(overrides);
        String[] arguments = properties.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        return new BridgedCoordinator(new SpringApplicationBuilder(CoordinatorApplication.class).run(arguments));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    IslandBridge bridge() {
        return bean(IslandBridge.class);
    }

    NatsEndpoint nats() {
        return bean(NatsEndpoint.class);
    }

    JdbcTemplate jdbc() {
        return new JdbcTemplate(bean(DataSource.class));
    }

    <R> R send(Object command) {
        return bean(CommandGateway.class).sendAndWait(command, 60, TimeUnit.SECONDS);
    }

    Instant now() {
        return bean(Clock.class).instant();
    }

    /** Opens {@link #CARGO}'s market and gives {@link #CONSUMER} (DE) 100 credits. */
    BridgedCoordinator openMarket() {
        send(new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher-1"), PricePerUnit.of(10),
                now()));
        send(new OpenAccount(CONSUMER, Country.of("DE"), now()));
        send(new DepositCredits(CONSUMER, "deposit-1", MicroCredits.credits(100), now()));
        return this;
    }

    /** An Island agent in this JVM on the demo runtime, reaching NATS at {@code natsUrl} (null: directly). */
    IslandAgent island(String name, String country, long price, @Nullable String natsUrl) throws Exception {
        return IslandAgent.start(new AgentSettings(name, "host-" + name, country, Map.of(CARGO.value(), price), 2,
                List.of(), url(), natsUrl, "demo", null, null, Duration.ZERO).withKey(TestCredentials.OPERATOR_TOKEN));
    }

    SubmitBid bid(String jobId) {
        return bid(jobId, null);
    }

    /** A bid of {@link #CONSUMER} for up to 10 units at 5,000 per unit, inside {@code jurisdiction} when given. */
    SubmitBid bid(String jobId, @Nullable JurisdictionPolicy jurisdiction) {
        return new SubmitBid(CARGO, new JobId(jobId), CONSUMER, PricePerUnit.of(5_000), 10, jurisdiction, null, null,
                false, Duration.ofMinutes(5), now());
    }

    /** The events stored that mention {@code text} (a job or Island id), in order, by simple class name. */
    List<String> eventsMentioning(String text) {
        return jdbc().queryForList("select payload_type from domain_event_entry"
                        + " where convert_from(payload, 'UTF8') like ? order by global_index", String.class,
                        "%\"" + text + "\"%").stream()
                .map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }

    @Override
    public void close() {
        context.close();
    }
}
