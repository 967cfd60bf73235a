package io.archipelago.projections.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metrics processor, {@value #PROCESSING_GROUP}: one tracking thread (lighter on the command path's CPU than a
 * pooled processor's coordinator and workers), its token in memory and first placed at the head of the stream, so
 * that a start never counts the past again; and the lag gauges of the read side's processors.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /** The processing group, and processor, of the metrics. */
    static final String PROCESSING_GROUP = "metrics";

    /** Events counted per batch: counting is cheap, and a batch is one pass of the processor's thread. */
    private static final int BATCH_SIZE = 500;

    /** The processors whose lag is published. */
    static final List<String> WATCHED = List.of("projections", "event-chain", "kafka-export", PROCESSING_GROUP);

    @Bean
    ExchangeMetrics exchangeMetrics(MeterRegistry meters) {
        return new ExchangeMetrics(meters);
    }

    @Bean
    ProcessorLag processorLag(ObjectProvider<org.axonframework.config.Configuration> axon,
                              ObjectProvider<MeterRegistry> meters) {
        ProcessorLag lag = new ProcessorLag(axon::getObject);
        meters.ifAvailable(registry -> lag.register(registry, WATCHED));
        return lag;
    }

    @Bean
    ConfigurerModule metricsProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTokenStore(PROCESSING_GROUP, axon -> new InMemoryTokenStore())
                .registerTrackingEventProcessor(PROCESSING_GROUP,
                        axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(BATCH_SIZE)
                                .andInitialTrackingToken(source -> source.createHeadToken())));
    }
}
