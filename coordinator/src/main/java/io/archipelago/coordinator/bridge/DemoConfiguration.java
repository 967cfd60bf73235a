package io.archipelago.coordinator.bridge;

import io.archipelago.access.ApiKeys;
import io.archipelago.demo.DemoIslands;
import java.nio.file.Path;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The demo Islands of the {@code demo} module, with {@code archipelago.demo-islands=true}: they reach this node's
 * NATS server and HTTP port; {@code archipelago.demo.container-cargo=false} leaves the container Island out.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "archipelago.demo-islands", havingValue = "true")
class DemoConfiguration {

    @Bean
    DemoIslands demoIslands(CommandGateway gateway, ApiKeys keys, Clock clock, Environment environment,
                            NatsEndpoint nats, @Value("${archipelago.data-dir:./data}") Path dataDir,
                            @Value("${archipelago.demo.container-cargo:true}") boolean containerCargo) {
        return new DemoIslands(gateway, keys, clock, environment, nats::url, dataDir, containerCargo);
    }
}
