package io.archipelago.query;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.ComponentScan;

/**
 * The analysts' and operators' endpoints over the read side's models, in an application that runs them (Axon under
 * Spring Boot, as the coordinator does).
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ComponentScan(basePackages = {"io.archipelago.query.history", "io.archipelago.query.admin"})
public class ReadSideQueryConfiguration {
}
