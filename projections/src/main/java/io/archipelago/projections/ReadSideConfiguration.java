package io.archipelago.projections;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.ComponentScan;

/**
 * The read side beyond the first read models: the Kafka export, the hash chain over the events, dead letters of the
 * projections, the history, Island and payout read models, the exchange's metrics and the rebuild. Each package
 * configures itself; this only finds them, in an application that runs Axon under Spring Boot (and so has the event
 * store, the token store and a database).
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ComponentScan(basePackages = {"io.archipelago.projections.export", "io.archipelago.projections.chain",
        "io.archipelago.projections.deadletter", "io.archipelago.projections.history",
        "io.archipelago.projections.island", "io.archipelago.projections.payout", "io.archipelago.projections.metrics",
        "io.archipelago.projections.rebuild"})
public class ReadSideConfiguration {
}
