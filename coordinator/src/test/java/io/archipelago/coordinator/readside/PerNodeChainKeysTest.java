package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.projections.chain.ChainCheckpoint;
import io.archipelago.projections.chain.ChainSigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator nodes on one database, each with its own signing key in its own data directory, take turns
 * extending the chain (node-a until its chain processor stops, then node-b): each signs its checkpoints as itself.
 * The auditor, given each node's public key, checks every checkpoint with its node's key, and refuses the
 * checkpoints of a node whose key it was not given and a checkpoint that names another node than its signer.
 */
class PerNodeChainKeysTest {

    @TempDir
    static Path dataDirA;
    @TempDir
    static Path dataDirB;
    @TempDir
    static Path auditor;

    private static CoordinatorNode nodeA;
    private static CoordinatorNode nodeB;

    @BeforeAll
    static void twoNodesTakeTurnsOnTheChain() {
        Map<String, Object> a = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        a.put("archipelago.cluster.node-id", "node-a");
        a.put("archipelago.event-chain.checkpoint-every-links", 1);
        a.put("archipelago.market.clear-interval", "1000h");
        nodeA = CoordinatorNode.start(dataDirA, a);
        HikariDataSource database = (HikariDataSource) nodeA.bean(DataSource.class);
        Map<String, Object> b = new HashMap<>(a);
        b.putAll(Map.of("DATABASE_URL", database.getJdbcUrl(), "DATABASE_USER", "postgres", "DATABASE_PASSWORD",
                database.getPassword(), "archipelago.cluster.node-id", "node-b"));
        nodeB = CoordinatorNode.start(dataDirB, b);

        new ReadSideWorkload(nodeA).open().jobs(0, 10);
        awaitSigned();
        nodeA.bean(Configuration.class).eventProcessingConfiguration().eventProcessor("event-chain")
                .ifPresent(EventProcessor::shutDown);
        new ReadSideWorkload(nodeA).jobs(10, 20);
        awaitSigned();
        // the balance read model, which every audit compares with the ledger, catches up with both nodes' work
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> audit(
                AuditEvidence.of(dataDirA, List.of("node-a=" + publicKey(dataDirA), "node-b=" + publicKey(dataDirB)),
                        null, checkpointFiles(), 0)).problems().stream()
                .noneMatch(problem -> problem.startsWith("read model:")));
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        nodeA.close();
    }

    @Test
    void eachNodeSignsItsCheckpointsAsItselfWithItsOwnKey() throws IOException {
        assertThat(nodes(dataDirA)).containsOnly("node-a");
        assertThat(nodes(dataDirB)).containsOnly("node-b");
        assertThat(Files.readString(publicKey(dataDirA))).isNotEqualTo(Files.readString(publicKey(dataDirB)));
    }

    @Test
    void theAuditorChecksEveryCheckpointWithItsNodesKey() throws IOException {
        Path keys = auditor.resolve("chain-keys");
        Files.writeString(keys, "# the nodes that sign the chain\nnode-a " + publicKey(dataDirA) + "\nnode-b "
                + Files.readString(publicKey(dataDirB)).strip() + "\n", StandardCharsets.UTF_8);

        AuditReport fromFile = audit(AuditEvidence.of(dataDirA, List.of(), keys, checkpointFiles(), 0));
        AuditReport fromOptions = audit(AuditEvidence.of(dataDirA, List.of("node-a=" + publicKey(dataDirA),
                "node-b=" + Files.readString(publicKey(dataDirB)).strip()), null, checkpointFiles(), 0));

        long stored = nodeA.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        for (AuditReport report : List.of(fromFile, fromOptions)) {
            assertThat(report.problems()).isEmpty();
            assertThat(report.checkpoints()).isEqualTo(lines(dataDirA).size() + lines(dataDirB).size());
            assertThat(report.signedLinks()).isEqualTo(stored);
        }
    }

    @Test
    void theCheckpointsOfANodeWithoutAKeyAreRefused() throws IOException {
        List<ChainCheckpoint> ofB = lines(dataDirB);

        AuditReport report = audit(AuditEvidence.of(dataDirA, List.of("node-a=" + publicKey(dataDirA)), null,
                checkpointFiles(), 0));

        assertThat(report.problems()).containsExactly("checkpoint: " + ofB.size() + " checkpoints of node node-b"
                + " (links " + ofB.get(0).position() + " to " + ofB.get(ofB.size() - 1).position()
                + ") are refused: the auditor was not given that node's public key");
    }

    @Test
    void aCheckpointThatNamesAnotherNodeThanItsSignerHasABadSignature() throws IOException {
        ChainCheckpoint signedByB = lines(dataDirB).get(0);
        ChainCheckpoint claimed = new ChainCheckpoint(signedByB.position(), signedByB.globalIndex(),
                signedByB.head(), signedByB.time(), "node-a", signedByB.signature());
        Path forged = auditor.resolve("forged.jsonl");
        Files.writeString(forged, claimed.line() + "\n", StandardCharsets.UTF_8);

        AuditReport report = audit(AuditEvidence.of(dataDirA, List.of("node-a=" + publicKey(dataDirA),
                "node-b=" + publicKey(dataDirB)), null, List.of(checkpointFile(dataDirA), forged), 0));

        assertThat(report.problems()).contains("checkpoint: the checkpoint of link " + claimed.position() + " at "
                + claimed.time() + " has a bad signature: it was not signed with the chain's key of node node-a");
    }

    private static AuditReport audit(AuditEvidence evidence) {
        AuditReport report = new LedgerAudit(nodeA.bean(DataSource.class), evidence,
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)).run();
        LedgerAudit.print(report, System.out);
        return report;
    }

    /** Waits until the checkpoints of both nodes together sign every stored event. */
    private static void awaitSigned() {
        await().atMost(Duration.ofSeconds(60)).until(() -> Stream.concat(lines(dataDirA).stream(),
                        lines(dataDirB).stream()).mapToLong(ChainCheckpoint::position).max().orElse(0)
                == nodeA.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry", Long.class));
    }

    private static List<Path> checkpointFiles() {
        return List.of(checkpointFile(dataDirA), checkpointFile(dataDirB));
    }

    private static Path checkpointFile(Path dataDir) {
        return dataDir.resolve(ChainCheckpoint.FILE);
    }

    private static Path publicKey(Path dataDir) {
        return ChainSigningKey.publicFile(dataDir.resolve(ChainSigningKey.FILE));
    }

    private static List<String> nodes(Path dataDir) throws IOException {
        return lines(dataDir).stream().map(ChainCheckpoint::node).distinct().toList();
    }

    private static List<ChainCheckpoint> lines(Path dataDir) throws IOException {
        Path file = checkpointFile(dataDir);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(ChainCheckpoint::parse).toList();
    }
}
