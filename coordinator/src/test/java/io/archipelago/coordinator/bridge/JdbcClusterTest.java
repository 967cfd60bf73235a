package io.archipelago.coordinator.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.bridge.Cluster.Placement;
import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.exchange.ids.JobId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The cluster's tables in the embedded PostgreSQL Flyway created: a placement is claimed by the first node only;
 * only the claims of nodes whose heartbeat is too old (or of this node's id before a restart) are taken over; a node
 * that stops in order is no longer live at once. (What the bridge does with them is {@code TwoBridgesTest}'s.)
 */
class JdbcClusterTest {

    @TempDir
    static Path dataDir;
    static CoordinatorNode node;
    static JdbcClient jdbc;
    static JdbcTemplate sql;

    @BeforeAll
    static void start() {
        node = CoordinatorNode.start(dataDir);
        jdbc = JdbcClient.create(node.bean(DataSource.class));
        sql = new JdbcTemplate(node.bean(DataSource.class));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theFirstClaimWinsAndOnlyClaimsOfNodesNoLongerLiveAreTakenOver() {
        try (JdbcCluster a = cluster("node-a"); JdbcCluster b = cluster("node-b")) {
            sql.update("INSERT INTO coordinator_node (node_id, seen_at) "
                    + "VALUES ('node-gone', now() - interval '1 hour')");
            Placement held = new Placement(new JobId("job-held"), 1);
            Placement orphaned = new Placement(new JobId("job-orphaned"), 2);
            Placement own = new Placement(new JobId("job-own"), 1);
            assertThat(a.claim(held)).isTrue();
            assertThat(b.claim(held)).isFalse();
            assertThat(a.claim(held)).isFalse();
            sql.update("INSERT INTO job_dispatch (job_id, placement, node_id, claimed_at) "
                    + "VALUES ('job-orphaned', 2, 'node-gone', now())");
            assertThat(b.claim(own)).isTrue();

            assertThat(b.takeOver(List.of(held, orphaned, own))).containsExactlyInAnyOrder(orphaned, own);
            assertThat(a.takeOver(List.of(orphaned))).isEmpty();
            assertThat(sql.queryForObject("SELECT node_id FROM job_dispatch WHERE job_id = 'job-orphaned'",
                    String.class)).isEqualTo("node-b");
            assertThat(b.liveNodes()).contains("node-a", "node-b").doesNotContain("node-gone");

            a.close();
            assertThat(b.takeOver(List.of(held))).containsExactly(held);
        }
    }

    private static JdbcCluster cluster(String name) {
        return new JdbcCluster(jdbc, name, Duration.ofSeconds(30), Duration.ofMinutes(20)).start();
    }
}
