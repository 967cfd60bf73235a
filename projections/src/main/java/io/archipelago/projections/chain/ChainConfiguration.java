package io.archipelago.projections.chain;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hash chain's own tracking processor, {@value #PROCESSING_GROUP}: one segment and one thread, because each link
 * depends on the one before; a failure stops and retries it, never skips an event.
 */
@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

    /** The processing group, and processor, of the hash chain. */
    static final String PROCESSING_GROUP = "event-chain";

    @Bean
    EventChainWriter eventChainWriter(JdbcTemplate jdbc) {
        return new EventChainWriter(jdbc);
    }

    @Bean
    ConfigurerModule eventChainProcessor(@Value("${archipelago.event-chain.batch-size:500}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(PROCESSING_GROUP,
                        axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(batchSize)
                                .andInitialSegmentsCount(1))
                .registerListenerInvocationErrorHandler(PROCESSING_GROUP,
                        axon -> PropagatingErrorHandler.instance()));
    }
}
