package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --audit} as an operator runs it, on a stopped coordinator's data directory: its own embedded PostgreSQL on
 * that directory, the report, and the exit code.
 */
class AuditCommandTest {

    @TempDir
    static Path dataDir;

    @Test
    void theAuditCommandExitsWithZeroWhenCleanAndOneWhenAnEventWasChanged() {
        int port = ReadSideNodes.freePort();
        String[] audit = {ReadSideCommands.AUDIT, "--archipelago.data-dir=" + dataDir,
                "--archipelago.postgres.port=" + port, "--archipelago.postgres.durable=false",
                "--logging.level.root=WARN"};
        Map<String, Object> settings = ReadSideNodes.withoutBridge(port);
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            new ReadSideWorkload(node).open().jobs(0, 10);
            ReadSideNodes.awaitCaughtUp(node);
        }

        assertThat(ReadSideCommands.audit(audit)).isZero();

        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            node.jdbc().update("""
                    UPDATE domain_event_entry SET time_stamp = '2025-06-02T09:00:00Z'
                    WHERE global_index = (SELECT min(global_index) FROM domain_event_entry)""");
        }

        assertThat(ReadSideCommands.audit(audit)).isEqualTo(1);
    }
}
