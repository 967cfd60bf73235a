package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.embedded.kafka.EmbeddedKafka;
import io.archipelago.projections.chain.ChainCheckpoint;
import io.archipelago.projections.chain.ChainSigningKey;
import io.archipelago.projections.export.KafkaBootstrap;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stored event reaches the Kafka topic, keyed by aggregate, in each aggregate's order, across a stop of the
 * coordinator in the middle of the export; a real KRaft broker that outlives the coordinator plays the cluster
 * named by {@code KAFKA_BOOTSTRAP}. The embedded default, a broker inside the coordinator with its log in the data
 * directory, gets the whole store at every start.
 */
class KafkaExportTest {

    private static final String TOPIC = "archipelago.events";
    private static final String CHECKPOINTS = "archipelago.event-chain.checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @TempDir
    static Path kafkaDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(kafkaDir);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void everyEventIsExportedOnceInOrderPerAggregateAcrossARestart() throws IOException {
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        settings.put("archipelago.kafka.export.enabled", true);
        Map<String, Object> slowExport = new HashMap<>(settings);
        // small batches that each wait for a long linger: the export trails the trading, and the stop lands mid-way
        slowExport.put("archipelago.kafka.export.batch-size", 20);
        slowExport.put("archipelago.kafka.export.linger", "300ms");
        long exportedBeforeStop;
        long storedBeforeStop;
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, slowExport)) {
            new ReadSideWorkload(node).open().jobs(0, 60);
            storedBeforeStop = storedEvents(node);
            await().atMost(Duration.ofSeconds(60)).until(() -> consumeAll().size() > 20);
            exportedBeforeStop = consumeAll().size();
        }
        System.out.printf("export: %d of %d events on the topic when the coordinator stopped%n",
                exportedBeforeStop, storedBeforeStop);
        assertTheShutdownCheckpointWasExported(storedBeforeStop);

        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            new ReadSideWorkload(node).jobs(60, 90).payout(ReadSideWorkload.HOST, "payout-1", 1_000, 100);
            List<Map<String, Object>> stored = node.jdbc().queryForList("""
                    SELECT aggregate_identifier, sequence_number, global_index, event_identifier, payload_type
                    FROM domain_event_entry ORDER BY global_index""");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> firstOfEach(consumeAll()).size() == stored.size());

            List<ConsumerRecord<byte[], byte[]>> records = consumeAll();
            Map<String, JsonNode> exported = firstOfEach(records);
            for (Map<String, Object> event : stored) {
                String aggregate = (String) event.get("aggregate_identifier");
                JsonNode record = exported.get(aggregate + "#" + event.get("sequence_number"));
                assertThat(record).as("exported %s #%s", aggregate, event.get("sequence_number")).isNotNull();
                assertThat(record.get("eventId").asText()).isEqualTo(event.get("event_identifier"));
                assertThat(record.get("position").asLong()).isEqualTo(((Number) event.get("global_index")).longValue());
                assertThat(record.get("payloadType").asText()).isEqualTo(event.get("payload_type"));
                assertThat(record.get("payload").isObject()).isTrue();
            }
            assertSequencesNeverGoBackPerKey(records);
            assertTheExportWitnessesAForgedPayload(node);
            System.out.printf("export: %d events stored, %d records on the topic (%d repeated after the stop)%n",
                    stored.size(), records.size(), records.size() - stored.size());
        }
    }

    /**
     * Without {@code KAFKA_BOOTSTRAP} the coordinator runs its own broker, which starts empty: every start exports the
     * whole store to it again.
     */
    @Test
    void theEmbeddedBrokerGetsTheWholeStoreAtEveryStart(@TempDir Path ownDataDir) throws IOException {
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.put("archipelago.kafka.embedded", true);
        settings.put("archipelago.kafka.export.enabled", true);
        try (CoordinatorNode node = CoordinatorNode.start(ownDataDir, settings)) {
            new ReadSideWorkload(node).open().jobs(0, 5);
            awaitWholeStoreOn(node, ownDataDir);
            // what /actuator/prometheus serves: the export's lag in time and in events behind the store's head
            String scraped = node.bean(PrometheusMeterRegistry.class).scrape();
            assertThat(scraped).contains("archipelago_export_lag_seconds_count",
                    "archipelago_export_lag_seconds_bucket", "archipelago_export_lag_seconds_max",
                    "archipelago_export_events_total", "archipelago_processor_lag{processor=\"kafka-export\"}");
        }
        try (CoordinatorNode node = CoordinatorNode.start(ownDataDir, settings)) {
            awaitWholeStoreOn(node, ownDataDir);
        }
    }

    private static void awaitWholeStoreOn(CoordinatorNode node, Path dataDir) throws IOException {
        String servers = node.bean(KafkaBootstrap.class).servers();
        assertThat(Files.readString(dataDir.resolve("kafka-bootstrap")).strip()).isEqualTo(servers);
        assertThat(dataDir.resolve("kafka").resolve("meta.properties")).as("the broker's log in the data dir")
                .exists();
        long stored = storedEvents(node);
        await().atMost(Duration.ofSeconds(60)).until(() -> consumeAll(servers).size() >= stored);
        assertThat(firstOfEach(consumeAll(servers))).hasSize((int) stored);
    }

    /**
     * The export as the audit's witness: its checkpoints stand in for a lost file, and a payout changed in the store
     * no longer matches its exported record.
     */
    private static void assertTheExportWitnessesAForgedPayload(CoordinatorNode node) {
        AuditEvidence witnessed = AuditEvidence.of(dataDir, null, dataDir.resolve("lost.jsonl"), Long.MAX_VALUE)
                .witnessedBy(ExportWitness.read(kafka.bootstrapServers(), TOPIC, CHECKPOINTS));
        assertThat(witnessed.checkpoints()).isNotEmpty();
        Map<String, Object> payout = node.jdbc().queryForMap("""
                SELECT global_index, event_identifier, payload FROM domain_event_entry
                WHERE payload_type LIKE '%.PayoutPaid'""");
        byte[] honest = (byte[]) payout.get("payload");
        String forged = new String(honest, StandardCharsets.UTF_8).replace("\"value\":1000", "\"value\":100");
        assertThat(forged).isNotEqualTo(new String(honest, StandardCharsets.UTF_8));
        assertThat(exportProblems(node, witnessed)).isEmpty();
        try {
            node.jdbc().update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?",
                    forged.getBytes(StandardCharsets.UTF_8), payout.get("global_index"));

            assertThat(exportProblems(node, witnessed)).containsExactly("export: event " + payout.get("global_index")
                    + " (" + payout.get("event_identifier") + ", PayoutPaid) is stored with another payload than the"
                    + " Kafka export holds");
        } finally {
            node.jdbc().update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?", honest,
                    payout.get("global_index"));
        }
    }

    private static List<String> exportProblems(CoordinatorNode node, AuditEvidence evidence) {
        AuditReport report = new LedgerAudit(node.bean(DataSource.class), evidence,
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)).run();
        return report.problems().stream().filter(problem -> problem.startsWith("export:")
                || problem.startsWith("checkpoint:") || problem.startsWith("chain: no signed checkpoint")).toList();
    }

    /** The checkpoint signed at shutdown is on the checkpoints' topic, signed with the key in the data directory. */
    private static void assertTheShutdownCheckpointWasExported(long stored) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumeAll(kafka.bootstrapServers(), CHECKPOINTS)
                .isEmpty());
        List<ChainCheckpoint> checkpoints = consumeAll(kafka.bootstrapServers(), CHECKPOINTS).stream()
                .map(record -> ChainCheckpoint.parse(new String(record.value(), StandardCharsets.UTF_8))).toList();
        PublicKey key = ChainSigningKey.publicKey(ChainSigningKey.publicFile(dataDir.resolve(ChainSigningKey.FILE))
                .toString());
        assertThat(checkpoints).allMatch(checkpoint -> checkpoint.verifies(key));
        assertThat(checkpoints.get(checkpoints.size() - 1).position()).isPositive().isLessThanOrEqualTo(stored);
    }

    /**
     * Within each key, records come in sequence order; after a crash a batch may be sent again, which restarts the
     * key's sequence at an already exported number but never skips one.
     */
    private static void assertSequencesNeverGoBackPerKey(List<ConsumerRecord<byte[], byte[]>> records)
            throws IOException {
        Map<String, Long> highest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode value = JSON.readTree(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(value.get("aggregateId").asText()).isEqualTo(key);
            long sequence = value.get("sequence").asLong();
            long seen = highest.getOrDefault(key, -1L);
            assertThat(sequence).as("%s after #%d", key, seen).isLessThanOrEqualTo(seen + 1);
            highest.put(key, Math.max(seen, sequence));
        }
    }

    private static Map<String, JsonNode> firstOfEach(List<ConsumerRecord<byte[], byte[]>> records)
            throws IOException {
        Map<String, JsonNode> first = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode value = JSON.readTree(record.value());
            first.putIfAbsent(value.get("aggregateId").asText() + "#" + value.get("sequence").asLong(), value);
        }
        return first;
    }

    static List<ConsumerRecord<byte[], byte[]>> consumeAll() {
        return consumeAll(kafka.bootstrapServers());
    }

    /** Every record of the topic, partition by partition, each partition in its order. */
    static List<ConsumerRecord<byte[], byte[]>> consumeAll(String servers) {
        return consumeAll(servers, TOPIC);
    }

    static List<ConsumerRecord<byte[], byte[]>> consumeAll(String servers, String topic) {
        return ExportWitness.records(servers, topic);
    }

    private static long storedEvents(CoordinatorNode node) {
        Long count = node.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }
}
