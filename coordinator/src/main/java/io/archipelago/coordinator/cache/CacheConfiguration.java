package io.archipelago.coordinator.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import io.archipelago.projections.job.JobViews;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the inference cache, its sweep and its routes ({@code /cache/**}, where a key acts as its account). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
public class CacheConfiguration {

    @Bean
    CacheEntries cacheEntries(JdbcClient jdbc, ObjectMapper json) {
        return new CacheEntries(jdbc, json);
    }

    @Bean(destroyMethod = "close")
    SemanticIndex semanticIndex() {
        return new SemanticIndex();
    }

    @Bean
    InferenceCache inferenceCache(CacheEntries entries, CacheProperties properties, CommandGateway commands,
                                  JobViews jobs, SemanticIndex index, Clock clock) {
        return new InferenceCache(entries, properties, commands, jobs, index, clock);
    }

    @Bean
    CacheInvalidation cacheInvalidation(InferenceCache cache) {
        return new CacheInvalidation(cache);
    }

    /**
     * The invalidation's processor: one thread, its token in the JDBC token store, starting at the head of the store
     * on a fresh database (answers kept before a change are keyed to the registration that answered them anyway).
     */
    @Bean
    ConfigurerModule cacheInvalidationProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(CacheInvalidation.PROCESSING_GROUP, axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken)));
    }

    @Bean
    CacheSweep cacheSweep(InferenceCache cache, CacheProperties properties) {
        return new CacheSweep(cache, properties.sweepInterval());
    }

    @Bean
    public RouteTable cacheRouteTable() {
        return RouteTable.of("cache",
                Route.any("/cache", Rule.CONSUMER),
                Route.any("/cache/**", Rule.CONSUMER));
    }
}
