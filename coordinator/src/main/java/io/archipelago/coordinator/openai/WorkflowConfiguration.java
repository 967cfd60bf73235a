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
 * The processor of {@link Workflows}, configured as the batches' one ({@link BatchConfiguration}) for the same
 * reasons: one tracking thread over one segment with its token in the JDBC token store, a failing handler retried
 * with back-off rather than skipped, and no transaction held open while a bid goes in or an output arrives.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
class WorkflowConfiguration {

    @Bean
    ConfigurerModule workflowsProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(Workflows.PROCESSING_GROUP, axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTransactionManager(Workflows.PROCESSING_GROUP, axon -> NoTransactionManager.INSTANCE)
                .registerListenerInvocationErrorHandler(Workflows.PROCESSING_GROUP,
                        axon -> PropagatingErrorHandler.instance()));
    }
}
