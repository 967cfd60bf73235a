package io.archipelago.coordinator.openai;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The processor of {@link RolloutSelections}: one thread, its token in the JDBC token store, starting at the head of
 * the store on a fresh database; the selection it sends commits with its token.
 */
@Configuration(proxyBeanMethods = false)
class RolloutSelectionConfiguration {

    @Bean
    RolloutSelections rolloutSelections(CommandGateway commands) {
        return new RolloutSelections(commands);
    }

    @Bean
    ConfigurerModule rolloutSelectionsProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(RolloutSelections.PROCESSING_GROUP, axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken)));
    }
}
