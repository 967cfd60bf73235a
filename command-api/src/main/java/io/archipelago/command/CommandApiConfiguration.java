package io.archipelago.command;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import io.archipelago.command.market.BidBatcher;
import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFieldsModule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The command endpoints, their problem advice, their {@link RouteTable} and the {@link BidBatcher}. Needs a
 * {@link CommandGateway} and a {@link java.time.Clock} bean from the application.
 */
@AutoConfiguration
@ComponentScan(basePackages = {"io.archipelago.command.account", "io.archipelago.command.cargo",
        "io.archipelago.command.island", "io.archipelago.command.market", "io.archipelago.command.rollout",
        "io.archipelago.command.web"})
public class CommandApiConfiguration {

    @Bean
    Commands commands(CommandGateway gateway) {
        return new Commands(gateway);
    }

    @Bean(destroyMethod = "close")
    BidBatcher bidBatcher(CommandGateway gateway) {
        return new BidBatcher(gateway);
    }

    /**
     * Who may send which command. An account's paths are its own, but credits come from Stripe checkout or the
     * operator, never from the account itself.
     */
    @Bean
    public RouteTable commandApiRouteTable() {
        return RouteTable.of("command-api",
                Route.post("/accounts", Rule.OPERATOR),
                Route.post("/accounts/{accountId}/deposits", Rule.OWN_ACCOUNT_OPERATOR_ACTION),
                Route.any("/accounts/{accountId}", Rule.OWN_ACCOUNT),
                Route.any("/accounts/{accountId}/**", Rule.OWN_ACCOUNT),
                Route.post("/markets/{cargo}/bids", Rule.BID),
                Route.post("/markets/{cargo}/asks", Rule.ASK),
                Route.put("/markets/{cargo}/asks/{islandId}", Rule.OWN_ISLAND),
                Route.delete("/markets/{cargo}/asks/{islandId}", Rule.OWN_ISLAND),
                Route.post("/islands", Rule.ISLAND_REGISTRATION),
                Route.post("/islands/{islandId}/online", Rule.OWN_ISLAND),
                Route.post("/islands/{islandId}/offline", Rule.OWN_ISLAND),
                Route.put("/islands/{islandId}/schedule", Rule.OWN_ISLAND),
                Route.post("/rollouts/{rollout}/jobs/{jobId}/feedback", Rule.OWN_JOB),
                Route.post("/cargos/{cargo}/versions/{version}/yank", Rule.OPERATOR),
                Route.post("/publishers/{accountId}/tier", Rule.OPERATOR));
    }

    @Bean
    RejectUnknownFieldsModule rejectUnknownFieldsModule() {
        return new RejectUnknownFieldsModule();
    }
}
