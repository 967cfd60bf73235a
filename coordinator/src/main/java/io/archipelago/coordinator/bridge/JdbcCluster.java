package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.Cluster;
import io.archipelago.exchange.ids.JobId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The coordinator nodes on one PostgreSQL ({@code coordinator_node}, {@code job_dispatch}): this node writes its
 * heartbeat every quarter of the node timeout and reads which nodes are live; a claim is a row that only the first
 * node writes; a take-over moves the rows of nodes whose heartbeat is older than the timeout to this one (and keeps
 * those this node's id holds from before it restarted, when its id is configured). Times are
 * the database's, so that the nodes' clocks need not agree. A node that stops in order removes its heartbeat, so its
 * jobs are taken over at once; one that dies is taken over after the timeout.
 */
final class JdbcCluster implements Cluster, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCluster.class);

    private final JdbcClient jdbc;
    private final String node;
    private final double timeoutSeconds;
    private final double retentionSeconds;
    private final ScheduledExecutorService timer;
    private volatile List<String> live;

    /**
     * This node, {@code node}, of the cluster in {@code jdbc}; nodes silent for {@code timeout} are no longer live,
     * claims older than {@code retention} are deleted.
     */
    JdbcCluster(JdbcClient jdbc, String node, Duration timeout, Duration retention) {
        this.jdbc = jdbc;
        this.node = node;
        this.timeoutSeconds = timeout.toMillis() / 1000.0;
        this.retentionSeconds = retention.toMillis() / 1000.0;
        this.live = List.of(node);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the first heartbeat now, then keeps writing them. */
    JdbcCluster start() {
        heartbeat();
        long period = Math.max(100, (long) (timeoutSeconds * 1000 / 4));
        timer.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (RuntimeException unreachable) {
                LOG.warn("cluster heartbeat of {} failed: {}", node, unreachable.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        LOG.info("coordinator node {} joined the cluster: {}", node, live);
        return this;
    }

    private void heartbeat() {
        jdbc.sql("INSERT INTO coordinator_node (node_id, seen_at) VALUES (:node, now()) "
                + "ON CONFLICT (node_id) DO UPDATE SET seen_at = now()").param("node", node).update();
        List<String> now = jdbc.sql("SELECT node_id FROM coordinator_node "
                        + "WHERE seen_at > now() - make_interval(secs => :timeout) ORDER BY node_id")
                .param("timeout", timeoutSeconds).query(String.class).list();
        if (!now.equals(live)) {
            LOG.info("live coordinator nodes: {}", now);
        }
        live = now.contains(node) ? now : List.of(node);
        jdbc.sql("DELETE FROM job_dispatch WHERE claimed_at < now() - make_interval(secs => :retention)")
                .param("retention", retentionSeconds).update();
        jdbc.sql("DELETE FROM coordinator_node WHERE seen_at < now() - make_interval(secs => :retention)")
                .param("retention", retentionSeconds).update();
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public List<String> liveNodes() {
        return live;
    }

    @Override
    public boolean claim(Placement placement) {
        return jdbc.sql("INSERT INTO job_dispatch (job_id, placement, node_id, claimed_at) "
                        + "VALUES (:job, :placement, :node, now()) ON CONFLICT (job_id, placement) DO NOTHING")
                .param("job", placement.jobId().value()).param("placement", placement.number())
                .param("node", node).update() == 1;
    }

    @Override
    public Set<Placement> takeOver(Collection<Placement> placements) {
        if (placements.isEmpty()) {
            return Set.of();
        }
        // ids never contain ',', so the placements travel as two comma-separated lists
        String jobs = placements.stream().map(placement -> placement.jobId().value())
                .collect(Collectors.joining(","));
        String numbers = placements.stream().map(placement -> String.valueOf(placement.number()))
                .collect(Collectors.joining(","));
        return Set.copyOf(jdbc.sql("UPDATE job_dispatch d SET node_id = :node, claimed_at = now() "
                        + "FROM unnest(string_to_array(:jobs, ','), string_to_array(:numbers, ',')::integer[]) "
                        + "AS wanted (job_id, placement) "
                        + "WHERE d.job_id = wanted.job_id AND d.placement = wanted.placement "
                        + "AND (d.node_id = :node OR NOT EXISTS (SELECT 1 FROM coordinator_node n "
                        + "WHERE n.node_id = d.node_id AND n.seen_at > now() - make_interval(secs => :timeout))) "
                        + "RETURNING d.job_id, d.placement")
                .param("node", node).param("jobs", jobs).param("numbers", numbers).param("timeout", timeoutSeconds)
                .query((row, number) -> new Placement(new JobId(row.getString("job_id")), row.getInt("placement")))
                .list());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            jdbc.sql("DELETE FROM coordinator_node WHERE node_id = :node").param("node", node).update();
        } catch (RuntimeException unreachable) {
            LOG.info("node {} left without removing its heartbeat: {}", node, unreachable.toString());
        }
    }
}
