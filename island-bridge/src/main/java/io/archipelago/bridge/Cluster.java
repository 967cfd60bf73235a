package io.archipelago.bridge;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The coordinator nodes that share one store, as the bridge needs them: which node dispatches each placement of a
 * job (the first to claim it, so that no placement reaches its Island twice), which nodes are live (they keep
 * telling the cluster so), and the taking over of a placement whose node is no longer live. A single coordinator is
 * {@link #alone}.
 */
public interface Cluster {

    /** The {@code number}-th placement of a job (counted from 1), as every node reading the events counts it. */
    record Placement(JobId jobId, int number) {

        public Placement {
            if (jobId == null || number < 1) {
                throw new IllegalArgumentException("a placement is a job's first, second, ... placement");
            }
        }
    }

    /** This node's id. */
    String node();

    /** The ids of the live nodes, this one included, in a stable order; this one alone when none is known. */
    List<String> liveNodes();

    /**
     * Claims {@code placement} for this node.
     *
     * @return whether this node holds it now: false when another node claimed it first
     * @throws RuntimeException when the claim cannot be written: the placement then is not this node's
     */
    boolean claim(Placement placement);

    /**
     * Takes over those of {@code placements} that no live node holds, claimed by a node that stopped, or held under
     * this node's id from before it restarted.
     *
     * @return the placements this node holds now
     */
    Set<Placement> takeOver(Collection<Placement> placements);

    /**
     * Whether this node probes {@code islandId}: each Island is probed by one live node, the one that scores highest
     * for it (rendezvous hashing), so that a node joining or leaving moves only its own share of Islands.
     */
    default boolean probes(IslandId islandId) {
        String best = null;
        int bestScore = 0;
        for (String candidate : liveNodes()) {
            int score = mix((candidate + "|" + islandId.value()).hashCode());
            if (best == null || Integer.compareUnsigned(score, bestScore) > 0) {
                best = candidate;
                bestScore = score;
            }
        }
        return best == null || best.equals(node());
    }

    /** MurmurHash3's finalizer: spreads String.hashCode's bits, which are the same in every JVM. */
    private static int mix(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** One coordinator: every claim and take-over is its own. */
    static Cluster alone() {
        return new Cluster() {
            @Override
            public String node() {
                return "alone";
            }

            @Override
            public List<String> liveNodes() {
                return List.of(node());
            }

            @Override
            public boolean claim(Placement placement) {
                return true;
            }

            @Override
            public Set<Placement> takeOver(Collection<Placement> placements) {
                return Set.copyOf(placements);
            }
        };
    }
}
