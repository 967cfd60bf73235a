package io.archipelago.bridge;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Nodes of one cluster within a test: claims and liveness in shared maps instead of PostgreSQL. */
final class MemoryCluster implements Cluster {

    /** What the nodes of one cluster share. */
    static final class Shared {
        final Map<Placement, String> claims = new ConcurrentHashMap<>();
        final Set<String> live = ConcurrentHashMap.newKeySet();
    }

    private final String node;
    private final Shared shared;

    MemoryCluster(String node, Shared shared) {
        this.node = node;
        this.shared = shared;
        shared.live.add(node);
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public List<String> liveNodes() {
        return shared.live.stream().sorted().toList();
    }

    @Override
    public boolean claim(Placement placement) {
        return shared.claims.computeIfAbsent(placement, claimed -> node).equals(node);
    }

    @Override
    public synchronized Set<Placement> takeOver(Collection<Placement> placements) {
        Set<Placement> taken = new HashSet<>();
        for (Placement placement : placements) {
            String holder = shared.claims.get(placement);
            if (holder == null || holder.equals(node) || !shared.live.contains(holder)) {
                shared.claims.put(placement, node);
                taken.add(placement);
            }
        }
        return taken;
    }
}
