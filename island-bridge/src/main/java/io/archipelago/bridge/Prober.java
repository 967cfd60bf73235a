package io.archipelago.bridge;

import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.ReportIslandMemory;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Probe;
import io.archipelago.protocol.ProbeReply;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every registered Island by request/reply: the round trip feeds its {@link RttEstimate}, the answer itself
 * is its heartbeat. An online Island that misses {@link BridgeSettings#missedProbes} probes in a row is taken
 * offline ({@link OfflineReason#HEARTBEATS_MISSED}) and its jobs are lost; when it answers again it is brought back
 * online. An Island the market lists online that has not answered this bridge yet (the coordinator restarted and its
 * agent has not reconnected) is taken offline at its first miss, so that it is not offered work it cannot hear.
 * Islands their hosts took offline stay offline. Of several coordinator nodes, each probes its share of the Islands
 * ({@link Cluster#probes}); an Island that moves to this node's share counts as one that has not answered it yet.
 */
final class Prober {

    private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

    private final Connection nats;
    private final CommandSender commands;
    private final Clock clock;
    private final BridgeSettings settings;
    private final Rejections rejections;
    private final Consumer<IslandId> onSilent;
    private final Executor commandExecutor;
    private final IslandRequests requests;
    private final Cluster cluster;
    private final Map<IslandId, Link> links = new ConcurrentHashMap<>();
    private final AtomicLong nonces = new AtomicLong();

    Prober(Connection nats, CommandSender commands, Clock clock, BridgeSettings settings, Rejections rejections,
           Consumer<IslandId> onSilent, Executor commandExecutor, IslandRequests requests, Cluster cluster) {
        this.nats = nats;
        this.commands = commands;
        this.clock = clock;
        this.settings = settings;
        this.rejections = rejections;
        this.onSilent = onSilent;
        this.commandExecutor = commandExecutor;
        this.requests = requests;
        this.cluster = cluster;
    }

    void registered(IslandId islandId) {
        links.computeIfAbsent(islandId, Link::new);
    }

    void online(IslandId islandId) {
        Link link = links.computeIfAbsent(islandId, Link::new);
        synchronized (link) {
            link.online = true;
            link.offlineReason = null;
            link.missed = 0;
        }
    }

    void offline(IslandId islandId, OfflineReason reason) {
        Link link = links.computeIfAbsent(islandId, Link::new);
        synchronized (link) {
            link.online = false;
            link.offlineReason = reason;
        }
    }

    Optional<IslandRtt> rtt(IslandId islandId) {
        Link link = links.get(islandId);
        if (link == null) {
            return Optional.empty();
        }
        synchronized (link) {
            return Optional.of(new IslandRtt(islandId.value(), link.estimate.meanMicros(),
                    link.estimate.jitterMicros(), link.estimate.samples(), link.missed));
        }
    }

    /** Sends one probe to every Island that is not still waiting for the last one. */
    void probeAll() {
        probeSlice(0, 1);
    }

    /**
     * Probes the Islands of one slice of {@code slices}, so that a round of probes spreads over the interval
     * instead of leaving at once: a burst of thousands of requests would queue and measure its own queue. Islands
     * warming up are probed on every slice.
     */
    void probeSlice(int slice, int slices) {
        for (Link link : List.copyOf(links.values())) {
            boolean mine = cluster.probes(link.islandId);
            synchronized (link) {
                if (!mine) {
                    // another node probes it: should it come back to this one, its answers start over
                    link.answered = false;
                    link.missed = 0;
                    continue;
                }
                // an Island still warming up (and answering) is probed on every slice, so the market hears its
                // RTT in moments rather than after a few intervals
                boolean warmingUp = link.estimate.samples() < RttEstimate.WARM_UP && link.missed == 0;
                if (link.inFlight || !warmingUp && Math.floorMod(link.islandId.hashCode(), slices) != slice) {
                    continue;
                }
                link.inFlight = true;
            }
            long nonce = nonces.incrementAndGet();
            long sent = System.nanoTime();
            requests.request(link.islandId.value(), Subjects.probe(link.islandId.value()),
                            Codec.encode(new Probe(Codec.VERSION, nonce)), settings.probeTimeout())
                    .whenComplete((reply, failure) -> answered(link, nonce, sent, reply, failure));
        }
    }

    private void answered(Link link, long nonce, long sentNanos, @Nullable Message reply, @Nullable Throwable failure) {
        long rttMicros = (System.nanoTime() - sentNanos) / 1000;
        ProbeReply answer = failure == null && reply != null ? valid(link, nonce, reply) : null;
        boolean valid = answer != null;
        Object command = null;
        boolean silent = false;
        synchronized (link) {
            link.inFlight = false;
            if (valid) {
                link.answered = true;
                link.missed = 0;
                link.estimate.add(rttMicros);
                long report = link.estimate.toReport();
                if (!link.online && link.offlineReason == OfflineReason.HEARTBEATS_MISSED) {
                    link.online = true;
                    link.offlineReason = null;
                    command = new BringIslandOnline(link.islandId, clock.instant());
                }
                if (report >= 0) {
                    send(link, new RecordIslandRtt(link.islandId, report, clock.instant()));
                }
                Long memory = answer.memoryMib();
                if (memory != null && !memory.equals(link.reportedMemoryMib)) {
                    // once per change as this node hears it: the Island records it only when it differs
                    link.reportedMemoryMib = memory;
                    send(link, new ReportIslandMemory(link.islandId, memory, clock.instant()));
                }
            } else {
                link.missed++;
                if (link.online && (link.missed >= settings.missedProbes() || !link.answered)) {
                    link.online = false;
                    link.offlineReason = OfflineReason.HEARTBEATS_MISSED;
                    command = new TakeIslandOffline(link.islandId, OfflineReason.HEARTBEATS_MISSED, clock.instant());
                    silent = true;
                }
            }
        }
        if (command != null) {
            LOG.info("island {} {}", link.islandId, silent ? "missed " + settings.missedProbes()
                    + " heartbeats: taking it offline" : "answers again: bringing it online");
            synchronized (link) {
                send(link, command);
            }
        }
        if (silent) {
            onSilent.accept(link.islandId);
        }
    }

    /** The answer, when it answers this probe of this Island; null (and counted) otherwise. */
    private @Nullable ProbeReply valid(Link link, long nonce, Message reply) {
        try {
            ProbeReply answer = Codec.decode(reply.getData(), ProbeReply.class);
            if (answer.nonce() != nonce || !answer.islandId().equals(link.islandId.value())) {
                rejections.count(reply.getSubject(), new RejectedMessage(RejectedMessage.Reason.UNEXPECTED,
                        "a probe answer for another probe or island"));
                return null;
            }
            return answer;
        } catch (RejectedMessage rejected) {
            rejections.count(reply.getSubject(), rejected);
            return null;
        }
    }

    /** Sends off the reply thread (probe timing must not wait on a commit), in order per Island. */
    private void send(Link link, Object command) {
        link.commands = link.commands.handle((ignored, failure) -> null)
                .thenComposeAsync(ignored -> commands.send(command), commandExecutor)
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warn("the market refused {}: {}", command, failure.toString());
                    }
                });
    }

    private static final class Link {
        final IslandId islandId;
        final RttEstimate estimate = new RttEstimate();
        boolean online;
        /** Whether the Island answered a probe of this bridge: an agent that connected since it started. */
        boolean answered;
        @Nullable OfflineReason offlineReason;
        int missed;
        boolean inFlight;
        /** The memory this node last reported for the Island; null before the first report it heard. */
        @Nullable Long reportedMemoryMib;
        CompletableFuture<?> commands = CompletableFuture.completedFuture(null);

        Link(IslandId islandId) {
            this.islandId = islandId;
        }
    }
}
