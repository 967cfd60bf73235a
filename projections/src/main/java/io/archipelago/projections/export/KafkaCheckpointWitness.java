package io.archipelago.projections.export;

import io.archipelago.projections.CheckpointWitness;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every signed checkpoint of the event chain to a topic of its own (one partition, keyed {@value #KEY}, the
 * value its JSON line), beside the events it vouches for: a copy outside the coordinator's host. Sent without waiting;
 * a checkpoint Kafka refuses is logged, and the next one covers it.
 */
final class KafkaCheckpointWitness implements CheckpointWitness {

    static final String KEY = "event-chain";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCheckpointWitness.class);

    private final Producer<byte[], byte[]> producer;
    private final ExportTopic topic;

    KafkaCheckpointWitness(Producer<byte[], byte[]> producer, ExportTopic topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void witness(long position, String line) {
        try {
            topic.ensureExists();
            producer.send(new ProducerRecord<>(topic.name(), KEY.getBytes(StandardCharsets.UTF_8),
                    line.getBytes(StandardCharsets.UTF_8)), (metadata, failure) -> {
                        if (failure != null) {
                            LOG.warn("checkpoint of link {} not exported: {}", position,
                                    failure.getMessage());
                        }
                    });
        } catch (RuntimeException failed) {
            LOG.warn("checkpoint of link {} not exported: {}", position, failed.getMessage());
        }
    }
}
