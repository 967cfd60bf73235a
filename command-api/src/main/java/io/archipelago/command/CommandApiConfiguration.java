package io.archipelago.command;

import io.archipelago.command.market.BidBatcher;
import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFieldsModule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The command endpoints, their problem advice and the {@link BidBatcher}. Needs a {@link CommandGateway} and a
 * {@link java.time.Clock} bean from the application.
 */
@AutoConfiguration
@ComponentScan(basePackages = {"io.archipelago.command.account", "io.archipelago.command.island",
        "io.archipelago.command.market", "io.archipelago.command.web"})
public class CommandApiConfiguration {

    @Bean
    Commands commands(CommandGateway gateway) {
        return new Commands(gateway);
    }

    @Bean(destroyMethod = "close")
    BidBatcher bidBatcher(CommandGateway gateway) {
        return new BidBatcher(gateway);
    }

    @Bean
    RejectUnknownFieldsModule rejectUnknownFieldsModule() {
        return new RejectUnknownFieldsModule();
    }
}
