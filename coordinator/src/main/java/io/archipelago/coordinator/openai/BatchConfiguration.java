package io.archipelago.coordinator.openai;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The processor of {@link Batches}: one tracking thread over one segment, its token in the JDBC token store, so one
 * node at a time drives the batches and a restart resumes from the last event handled. A failing handler stops the
 * processor, which retries the event with back-off, rather than skipping it and leaving a batch running forever.
 * Handling an event waits on the market (a bid going in) and on an Island (the last of a job's output), so it holds
 * no database transaction open meanwhile: each command it sends commits on its own, and the token after it. An event
 * handled again after a crash finds its bid in and its report already recorded, which the batch ignores.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
class BatchConfiguration {

    @Bean
    ConfigurerModule batchesProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(Batches.PROCESSING_GROUP, axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTransactionManager(Batches.PROCESSING_GROUP, axon -> NoTransactionManager.INSTANCE)
                .registerListenerInvocationErrorHandler(Batches.PROCESSING_GROUP,
                        axon -> PropagatingErrorHandler.instance()));
    }
}
