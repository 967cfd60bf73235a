package io.archipelago.coordinator.openai;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The processor of {@link BatchProgress}: one tracking thread whose position is kept in memory and starts at the head
 * of the store, since only the jobs of batches running in this process matter to it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
class BatchConfiguration {

    @Bean
    ConfigurerModule batchProgressProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(BatchProgress.PROCESSING_GROUP, axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTokenStore(BatchProgress.PROCESSING_GROUP, axon -> new InMemoryTokenStore()));
    }
}
