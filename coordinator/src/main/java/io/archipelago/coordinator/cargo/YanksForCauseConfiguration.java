package io.archipelago.coordinator.cargo;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The processor of {@link YanksForCause}: one thread, its token in the JDBC token store, starting at the head of the
 * store on a fresh database; the command it sends commits with its token.
 */
@Configuration(proxyBeanMethods = false)
class YanksForCauseConfiguration {

    @Bean
    YanksForCause yanksForCause(CommandGateway commands) {
        return new YanksForCause(commands);
    }

    @Bean
    ConfigurerModule yanksForCauseProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(YanksForCause.PROCESSING_GROUP, axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken)));
    }
}
