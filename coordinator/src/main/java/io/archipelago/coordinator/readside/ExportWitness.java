package io.archipelago.coordinator.readside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.projections.chain.ChainCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka export as a witness for the audit: the payload of every exported event, by event identifier (the first
 * record of each, as a repeated batch sends the same bytes again), read once from the beginning of the topic. An event
 * the export has not reached is not compared. The chain's checkpoints on their topic count like those in the file.
 */
final class ExportWitness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> payloads;
    private final List<ChainCheckpoint> checkpoints;

    private ExportWitness(Map<String, JsonNode> payloads, List<ChainCheckpoint> checkpoints) {
        this.payloads = payloads;
        this.checkpoints = checkpoints;
    }

    /** The export on {@code topic} of the cluster at {@code servers}, and the chain's checkpoints on theirs. */
    static ExportWitness read(String servers, String topic, String checkpointTopic) {
        Map<String, JsonNode> payloads = new HashMap<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records(servers, topic)) {
                JsonNode exported = JSON.readTree(record.value());
                payloads.putIfAbsent(exported.get("eventId").asText(), exported.get("payload"));
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException("a record of " + topic + " is not an exported event", unreadable);
        }
        List<ChainCheckpoint> checkpoints = records(servers, checkpointTopic).stream()
                .map(record -> ChainCheckpoint.parse(new String(record.value(), StandardCharsets.UTF_8))).toList();
        return new ExportWitness(payloads, checkpoints);
    }

    /** The checkpoints the export holds. */
    List<ChainCheckpoint> checkpoints() {
        return checkpoints;
    }

    /** Every record of {@code topic} (none when there is no such topic), each partition in its order. */
    static List<ConsumerRecord<byte[], byte[]>> records(String servers, String topic) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            if (!consumer.listTopics(Duration.ofSeconds(10)).containsKey(topic)) {
                return records;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Whether the export holds this event with another payload than {@code stored}. */
    boolean contradicts(String eventIdentifier, byte[] stored) {
        JsonNode exported = payloads.get(eventIdentifier);
        if (exported == null) {
            return false;
        }
        try {
            return !exported.equals(JSON.readTree(stored));
        } catch (IOException unreadable) {
            return true;
        }
    }

    int size() {
        return payloads.size();
    }
}
