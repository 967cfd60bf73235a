package io.archipelago.coordinator.openai;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link RouteTable} of the consumer's door: {@code /v1}, batches and quotes, where a key acts as its account. */
@Configuration(proxyBeanMethods = false)
public class OpenAiRoutes {

    @Bean
    public RouteTable openAiRouteTable() {
        return RouteTable.of("openai",
                Route.any("/v1/**", Rule.CONSUMER),
                // a signed, expiring URL is its own credential: a browser's <img> sends no key
                Route.get("/v1/images/files/**", Rule.PUBLIC),
                Route.any("/batches", Rule.CONSUMER),
                Route.any("/batches/**", Rule.CONSUMER),
                Route.any("/quotes", Rule.CONSUMER),
                Route.any("/quotes/**", Rule.CONSUMER));
    }
}
