package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.JobInputs;
import io.archipelago.bridge.nats.LocalNatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The island bridge in the coordinator. NATS is a local {@code nats-server} bound to 127.0.0.1 with its state in
 * {@code <data-dir>/nats} (port {@code archipelago.nats.port}, 0 for a free one), unless {@code NATS_URL} names an
 * external server. The bridge's handlers run on their own tracking processor whose position is kept in memory: at
 * every start it reads the store from the beginning to learn the Islands it probes, and dispatches only the jobs
 * placed after the store's head at start ({@link IslandBridge#historyUpTo}). {@code archipelago.bridge.enabled=false}
 * leaves the bridge out. Job inputs are kept in PostgreSQL ({@link JdbcInputStore}) within {@link InputProperties}.
 * Every coordinator node on the same database is a node of one {@link JdbcCluster} ({@link ClusterProperties}): each
 * placement is dispatched by one node, output reaches the node holding the client, each Island is probed by one node.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BridgeProperties.class, InputProperties.class, ClusterProperties.class})
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
class BridgeConfiguration {

    @Bean(destroyMethod = "close")
    NatsEndpoint natsEndpoint(@Value("${NATS_URL:${archipelago.nats.url:}}") String url,
                              @Value("${NATS_NKEY_SEED:${archipelago.nats.nkey-seed:}}") String seed,
                              @Value("${archipelago.nats.port:4222}") int port,
                              @Value("${archipelago.data-dir:./data}") Path dataDir) {
        if (url.isBlank()) {
            return NatsEndpoint.local(LocalNatsServer.start(dataDir.resolve("nats"), port));
        }
        return NatsEndpoint.external(url, seed.isBlank() ? null : seed);
    }

    @Bean(destroyMethod = "close")
    Connection natsConnection(NatsEndpoint endpoint) throws IOException, InterruptedException {
        return Nats.connect(endpoint.options());
    }

    @Bean
    JobInputs jobInputs(JdbcClient jdbc, InputProperties properties, Clock clock) {
        return new JobInputs(new JdbcInputStore(jdbc), properties.limits(), clock);
    }

    @Bean
    InputSweep inputSweep(JobInputs inputs, InputProperties properties) {
        return new InputSweep(inputs, properties.sweepInterval());
    }

    @Bean(destroyMethod = "close")
    JdbcCluster cluster(JdbcClient jdbc, ClusterProperties cluster, BridgeProperties bridge,
                        ObjectProvider<FlywayMigrationInitializer> migrations) {
        // the first heartbeat is written now, so its table must exist: let the migrations run first
        migrations.ifAvailable(migrated -> { });
        String node = cluster.nodeId().isBlank()
                ? "node-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt()) : cluster.nodeId();
        // no job runs past its deadline: twice that, and its claim is of no more use to anyone
        return new JdbcCluster(jdbc, node, cluster.nodeTimeout(), bridge.jobDeadline().multipliedBy(2)).start();
    }

    /**
     * Closed before the hash chain's writer links, at shutdown, what its processor did not reach: nothing the bridge
     * sends (a completion, a heartbeat missed) lands after the chain's last link.
     */
    @Bean(destroyMethod = "close")
    @DependsOn("eventChainWriter")
    IslandBridge islandBridge(Connection natsConnection, CommandGateway gateway, Clock clock,
                              BridgeProperties properties, EventStore eventStore, JobInputs inputs,
                              JdbcCluster cluster, ObjectProvider<FlywayMigrationInitializer> migrations) {
        // the head of the store is read now, so its tables must exist: let the migrations run first
        migrations.ifAvailable(migrated -> { });
        IslandBridge bridge = new IslandBridge(natsConnection, gateway::send, clock, properties.settings(), inputs,
                cluster);
        bridge.historyUpTo(eventStore.createHeadToken());
        bridge.start();
        return bridge;
    }

    @Bean
    ConfigurerModule islandBridgeProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(IslandBridge.PROCESSING_GROUP, axon -> axon.eventStore())
                .registerTokenStore(IslandBridge.PROCESSING_GROUP, axon -> new InMemoryTokenStore()));
    }
}
