package io.archipelago.coordinator;

import io.archipelago.coordinator.axon.AggregateReplay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One coordinator started for a test, as {@code CoordinatorApplication} starts in production but without the web
 * server: embedded PostgreSQL on the given data directory (or {@code DATABASE_URL} when a property sets it), Flyway,
 * Axon. Closing it shuts the coordinator down the way a stop does.
 */
public final class CoordinatorNode implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final ConfigurableApplicationContext context;

    private CoordinatorNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** A coordinator with its embedded PostgreSQL in {@code dataDir}, on a free port, without fsync. */
    public static CoordinatorNode start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** As {@link #start(Path)}, with properties on top (e.g. {@code archipelago.postgres.durable}). */
    public static CoordinatorNode start(Path dataDir, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("archipelago.data-dir", dataDir.toString());
        all.put("archipelago.postgres.port", 0);
        all.put("archipelago.postgres.durable", false);
        // NATS and Kafka are tested on their own; here they would add a nats-server and a broker to every node, and
        // the bridge would act on the test's jobs
        all.put("archipelago.bridge.enabled", false);
        all.put("archipelago.kafka.embedded", false);
        // the tests' commands carry their own time: bids must not expire by the wall clock underneath them
        all.put("archipelago.market.expiry-interval", "0s");
        all.put("archipelago.kafka.export.enabled", false);
        all.put("logging.level.io.zonky", "WARN");
        all.put("logging.level.org.axonframework", "WARN");
        all.put("logging.level.org.flywaydb", "WARN");
        all.putAll(properties);
        // as command-line arguments, because they must win over application.yml as an operator's settings do
        String[] arguments = all.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CoordinatorApplication.class)
                .web(WebApplicationType.NONE)
                .run(arguments);
        return new CoordinatorNode(context);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public CommandGateway gateway() {
        return bean(CommandGateway.class);
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(bean(DataSource.class));
    }

    /** Sends a command and waits for its result, as the HTTP layer does; failures are thrown. */
    public <R> R send(Object command) {
        return gateway().sendAndWait(command, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The coordinator's own (cached) repository of {@code type}. */
    @SuppressWarnings("unchecked")
    public <A> Repository<A> repository(Class<A> type) {
        return (Repository<A>) context.getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, type))
                .getObject();
    }

    /** Reads an aggregate as the coordinator holds it (from its cache when there), in a unit of work of its own. */
    public <A, R> R read(Class<A> type, String id, Function<A, R> query) {
        return inUnitOfWork(() -> repository(type).load(id).invoke(query));
    }

    /** Reads an aggregate rebuilt from its stored events alone, by a repository without a cache. */
    public <A, R> R replay(Class<A> type, String id, Function<A, R> query) {
        return bean(AggregateReplay.class).read(type, id, query);
    }

    private static <R> R inUnitOfWork(Callable<R> task) {
        var result = DefaultUnitOfWork.startAndGet(null).executeWithResult(task);
        if (result.isExceptional()) {
            throw new IllegalStateException(result.exceptionResult());
        }
        return result.getPayload();
    }

    /** Every stored event, in the order of the event stream. */
    public List<EventMessage<?>> events() {
        List<EventMessage<?>> all = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> stream = bean(EventStorageEngine.class).readEvents(null,
                false)) {
            stream.forEach(all::add);
        }
        return all;
    }

    /** The payloads of {@link #events()}. */
    public List<Object> payloads() {
        return events().stream().<Object>map(EventMessage::getPayload).toList();
    }

    @Override
    public void close() {
        context.close();
    }
}
