package io.archipelago.coordinator.bridge;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link RouteTable} of the bridge's HTTP side: an Island's owner opens its session, and a job's input and output
 * belong to its consumer, or to the first account to use a job id not taken yet.
 */
@Configuration(proxyBeanMethods = false)
public class BridgeRoutes {

    @Bean
    public RouteTable bridgeRouteTable() {
        return RouteTable.of("bridge",
                Route.post("/islands/{islandId}/session", Rule.OWN_ISLAND),
                Route.get("/jobs/{jobId}/output", Rule.CLAIMED_JOB),
                Route.put("/jobs/{jobId}/input", Rule.CLAIMED_JOB));
    }
}
