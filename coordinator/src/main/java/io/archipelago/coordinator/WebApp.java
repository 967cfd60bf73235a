package io.archipelago.coordinator;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the browser app of the {@code web} module, whose jar holds it under {@code META-INF/resources/app}: its
 * static files are public (they hold no data; the app signs in with an API key and calls the API as any client),
 * {@code /app} leads to {@code /app/}, which is its page. Nothing else becomes public.
 */
@Configuration(proxyBeanMethods = false)
public class WebApp implements WebMvcConfigurer {

    @Bean
    public RouteTable webAppRouteTable() {
        return RouteTable.of("web",
                Route.get("/app", Rule.PUBLIC),
                Route.get("/app/", Rule.PUBLIC),
                Route.get("/app/assets/**", Rule.PUBLIC),
                Route.get("/app/index.html", Rule.PUBLIC),
                Route.get("/app/favicon.svg", Rule.PUBLIC));
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/app", "/app/");
        registry.addViewController("/app/").setViewName("forward:/app/index.html");
    }
}
