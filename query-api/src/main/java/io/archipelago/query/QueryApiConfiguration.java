package io.archipelago.query;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The query endpoints, their problem advice and their {@link RouteTable}, over the read models of the projections
 * module.
 */
@AutoConfiguration
@ComponentScan(basePackages = {"io.archipelago.query.account", "io.archipelago.query.job",
        "io.archipelago.query.market", "io.archipelago.query.registry", "io.archipelago.query.rollout",
        "io.archipelago.query.web"})
public class QueryApiConfiguration {

    /**
     * Who may read what: market data and Islands any caller, a job its consumer, an account's figures the account;
     * the operator's reports (usage, payouts, dead letters) are named by no route and so are the operator's alone.
     */
    @Bean
    public RouteTable queryApiRouteTable() {
        return RouteTable.of("query-api",
                Route.get("/accounts/{accountId}/balance", Rule.OWN_ACCOUNT),
                Route.get("/accounts/{accountId}/preferences", Rule.OWN_ACCOUNT),
                Route.get("/accounts/{accountId}/islands", Rule.OWN_ACCOUNT),
                Route.get("/accounts/{accountId}/payouts", Rule.OWN_ACCOUNT),
                Route.get("/jobs/{jobId}", Rule.OWN_JOB),
                Route.get("/markets", Rule.ANY_CALLER),
                Route.get("/markets/**", Rule.ANY_CALLER),
                Route.get("/islands", Rule.ANY_CALLER),
                Route.get("/islands/{islandId}", Rule.ANY_CALLER),
                Route.get("/islands/{islandId}/karma", Rule.ANY_CALLER),
                Route.get("/registry/**", Rule.ANY_CALLER),
                Route.get("/rollouts", Rule.ANY_CALLER),
                Route.get("/rollouts/{rollout}", Rule.ANY_CALLER));
    }
}
