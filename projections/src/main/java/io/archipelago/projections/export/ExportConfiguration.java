package io.archipelago.projections.export;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.lifecycle.Phase;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The export of every event to Kafka by its own tracking processor, {@value #PROCESSING_GROUP}, with one segment:
 * one thread reads the stream in order, so per-aggregate order holds on the topic. Kafka is the cluster named by
 * {@code KAFKA_BOOTSTRAP}, or the embedded broker of the {@code embedded} module. Turned off by
 * {@code archipelago.kafka.export.enabled=false}. The event chain's signed checkpoints go to a topic of their own
 * ({@link KafkaCheckpointWitness}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "archipelago.kafka.export.enabled", matchIfMissing = true)
class ExportConfiguration {

    /** The processing group, and processor, of the export. */
    static final String PROCESSING_GROUP = "kafka-export";

    private static final Logger LOG = LoggerFactory.getLogger(ExportConfiguration.class);

    /** A cluster named by {@code KAFKA_BOOTSTRAP} keeps its topics across restarts of the coordinator. */
    @Bean
    @ConditionalOnExpression("!'${KAFKA_BOOTSTRAP:}'.isBlank()")
    KafkaBootstrap externalKafka(@Value("${KAFKA_BOOTSTRAP}") String servers) {
        return new KafkaBootstrap() {
            @Override
            public String servers() {
                return servers;
            }

            @Override
            public boolean ephemeral() {
                return false;
            }
        };
    }

    /**
     * Idempotent with {@code acks=all}: a record retried by the producer is written once and in order; a short linger
     * groups a batch's records into few requests.
     */
    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> exportProducer(KafkaBootstrap kafka,
                                            @Value("${archipelago.kafka.export.linger:5ms}") Duration linger) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "archipelago-export");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(settings);
    }

    @Bean
    ExportTopic exportTopic(KafkaBootstrap kafka,
                            @Value("${archipelago.kafka.export.topic:archipelago.events}") String name,
                            @Value("${archipelago.kafka.export.partitions:6}") int partitions,
                            @Value("${archipelago.kafka.export.replication-factor:1}") short replicationFactor) {
        return new ExportTopic(name, partitions, replicationFactor, kafka.servers());
    }

    @Bean
    KafkaCheckpointWitness kafkaCheckpointWitness(Producer<byte[], byte[]> exportProducer, KafkaBootstrap kafka,
            @Value("${archipelago.kafka.export.checkpoint-topic:archipelago.event-chain.checkpoints}") String name,
            @Value("${archipelago.kafka.export.replication-factor:1}") short replicationFactor) {
        return new KafkaCheckpointWitness(exportProducer, new ExportTopic(name, 1, replicationFactor, kafka.servers()));
    }

    @Bean
    KafkaEventExporter kafkaEventExporter(Producer<byte[], byte[]> exportProducer, ExportTopic exportTopic,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          @Value("${archipelago.kafka.export.ack-timeout:30s}") Duration ackTimeout,
                                          ObjectProvider<MeterRegistry> meters) {
        return new KafkaEventExporter(exportProducer, exportTopic, eventSerializer, ackTimeout,
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * One segment and one thread, so the stream is exported in its order; a failing batch stops the processor, which
     * retries it with back-off, instead of skipping events. A tracking processor rather than a pooled one: its thread
     * waits on the event store and wakes up as soon as an event is committed, where a pooled processor's coordinator
     * polls the embedded event store every 500 ms when idle, which the export lag would show. On an embedded broker
     * the topic is new at every start, so the export starts over from the first event.
     */
    @Bean
    ConfigurerModule kafkaExportProcessor(KafkaBootstrap kafka,
                                          @Value("${archipelago.kafka.export.batch-size:500}") int batchSize) {
        return configurer -> {
            configurer.eventProcessing(processing -> processing
                    .registerTrackingEventProcessor(PROCESSING_GROUP,
                            axon -> axon.eventStore(),
                            axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                    .andBatchSize(batchSize)
                                    .andInitialSegmentsCount(1))
                    .registerListenerInvocationErrorHandler(PROCESSING_GROUP,
                            axon -> PropagatingErrorHandler.instance()));
            if (kafka.ephemeral()) {
                configurer.onInitialize(axon -> axon.onStart(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS, () ->
                        // processors exist by now but have not started, as a reset requires
                        axon.eventProcessingConfiguration()
                                .eventProcessor(PROCESSING_GROUP, StreamingEventProcessor.class)
                                .ifPresent(processor -> {
                                    LOG.info("Kafka is embedded and starts empty: exporting every event again");
                                    processor.resetTokens();
                                })));
            }
        };
    }
}
