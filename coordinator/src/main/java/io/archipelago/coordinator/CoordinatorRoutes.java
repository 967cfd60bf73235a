package io.archipelago.coordinator;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link RouteTable} of what the assembly serves itself: health and info are public, for load balancers and
 * orchestrators; the other actuator endpoints (metrics, Prometheus) are named by no route, so the operator's alone, as
 * the ledger audits run on a live node are.
 */
@Configuration(proxyBeanMethods = false)
public class CoordinatorRoutes {

    @Bean
    public RouteTable actuatorRouteTable() {
        return RouteTable.of("coordinator",
                Route.get("/actuator/health", Rule.PUBLIC),
                Route.get("/actuator/health/**", Rule.PUBLIC),
                Route.get("/actuator/info", Rule.PUBLIC),
                Route.post("/ledger/audits", Rule.OPERATOR),
                Route.get("/ledger/audits/last", Rule.OPERATOR));
    }
}
