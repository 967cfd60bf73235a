package io.archipelago.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts the {@link AccessFilter} in front of every request, right after Spring's own encoding and metrics filters, and
 * the {@link IdempotencyFilter} right after it, where the caller is known and the body read. The filter guards by the
 * {@link RouteTable} beans of every HTTP module, this one's own ({@link ApiKeyController}) among them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableConfigurationProperties({AccessProperties.class, IdempotencyProperties.class})
class AccessConfiguration {

    /** After the character encoding (HIGHEST_PRECEDENCE) and the HTTP metrics (+1) filters, before all others. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    OperatorToken operatorToken(AccessProperties properties,
                                @Value("${archipelago.data-dir:./data}") Path dataDir) {
        String configured = properties.operatorToken();
        return configured == null || configured.isBlank() ? OperatorToken.kept(dataDir) : OperatorToken.of(configured);
    }

    @Bean
    FilterRegistrationBean<AccessFilter> accessFilter(
            OperatorToken operator, ApiKeys keys, Guard guard, ObjectMapper json, AccessProperties properties,
            ObjectProvider<RouteTable> tables,
            @Value("${archipelago.openai.ws.allowed-origins:}") List<String> allowedOrigins) {
        AccessProperties.RateLimit perAccount = properties.rateLimit();
        AccessProperties.FailedAuthentications failures = properties.failedAuthentications();
        AccessFilter filter = new AccessFilter(operator, keys,
                new RateLimits(perAccount.requestsPerSecond(), perAccount.burst(), System::nanoTime),
                new RateLimits(failures.perSecond(), failures.burst(), System::nanoTime), guard,
                new SocketKeys(allowedOrigins), json, new BodyLimits(properties.maxBodyBytes(),
                        properties.bodyReadTimeout(), properties.bodiesPerAddress()),
                new Routes(tables.orderedStream().toList()));
        FilterRegistrationBean<AccessFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** The routes of {@link ApiKeyController}: an account manages its own keys. */
    @Bean
    RouteTable keyRouteTable() {
        return RouteTable.of("access",
                RouteTable.Route.any("/accounts/{accountId}/keys", Rule.OWN_ACCOUNT),
                RouteTable.Route.any("/accounts/{accountId}/keys/{prefix}", Rule.OWN_ACCOUNT));
    }

    @Bean
    IdempotencyKeys idempotencyKeys(JdbcClient jdbc, ObjectMapper json, Clock clock,
                                    IdempotencyProperties properties) {
        return new IdempotencyKeys(jdbc, json, clock, properties.sweepInterval(), properties.holderLease());
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyKeys keys, ObjectMapper json, Clock clock,
                                                                IdempotencyProperties properties,
                                                                ObjectProvider<AbandonedJobs> abandoned) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(keys, json, clock, properties, abandoned::getIfAvailable));
        registration.setOrder(ORDER + 1);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Tomcat reports what it refuses itself in the API's error shape ({@link ProblemReportValve}). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }
}
