package io.archipelago.coordinator.openai;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link RouteTable} of workflows and their saved templates, where a key acts as its account. */
@Configuration(proxyBeanMethods = false)
public class WorkflowRoutes {

    @Bean
    public RouteTable workflowRouteTable() {
        return RouteTable.of("workflows",
                Route.any("/workflows", Rule.CONSUMER),
                Route.any("/workflows/**", Rule.CONSUMER),
                Route.any("/workflow-templates", Rule.CONSUMER),
                Route.any("/workflow-templates/**", Rule.CONSUMER));
    }
}
