package io.archipelago.bridge;

import io.archipelago.bridge.stream.JobStreams;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandMemoryReported;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandWentOffline;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.PipelineCompleted;
import io.archipelago.exchange.market.api.PipelineDeclared;
import io.archipelago.exchange.market.api.PipelineFailed;
import io.archipelago.exchange.market.api.PipelineFunded;
import io.archipelago.exchange.market.api.PipelinePlaced;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineUnplaceable;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.PeerProbe;
import io.archipelago.protocol.PeerProbeReply;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's side of the Islands, fed by the market's events: a placed job goes to its Island's subject, the
 * Island's output comes back as market commands ({@code StartJob} on the first chunk, {@code CompleteJob} with the
 * units on the final message, {@code ReassignJob} or {@code FailJob} when the Island loses it) and as
 * {@link JobStreams} for in-process subscribers; every registered Island is probed for round-trip time and
 * heartbeats.
 *
 * <p>Its events come through a tracking processor that reads the store from its start each time the coordinator
 * starts: what happened before ({@link #historyUpTo}) rebuilds the Islands it probes, and only jobs placed from then
 * on are dispatched. Jobs the history shows running when the coordinator stopped are lost like any other: placed
 * again if they had streamed nothing, else failed and refunded; a pipeline job is failed and refunded whole.
 *
 * <p>Several coordinator nodes may run a bridge each over one store and one NATS ({@link Cluster}): each placement is
 * dispatched by the node that claims it, which alone hears its output ({@link OutputSubjects}) and relays it to the
 * node holding the client, each Island is probed
 * by one live node, and the jobs of a node that stops are taken over by another, as those of a restart are.
 */
@ProcessingGroup(IslandBridge.PROCESSING_GROUP)
public final class IslandBridge implements AutoCloseable {

    /** The event processor the bridge's handlers belong to. */
    public static final String PROCESSING_GROUP = "island-bridge";

    /** A round of probes is sent in this many slices over the probe interval. */
    static final int PROBE_SLICES = 10;

    /** Five pings of at most 500 ms each, and the answer's way back. */
    private static final Duration PEER_PROBE_TIMEOUT = Duration.ofSeconds(4);

    private static final long CLOSE_WAIT_SECONDS = 5;
    private static final String HEARTBEATS_MISSED = "the island missed its heartbeats";

    private final Connection nats;
    private final BridgeSettings settings;
    private final JobStreams streams;
    private final JobInputs inputs;
    private final Rejections rejections = new Rejections();
    private final JobDispatcher dispatcher;
    private final PublishedVersions versions = new PublishedVersions();
    private final Prober prober;
    private final IslandRequests requests;
    private final StreamRelay relay;
    private final OutputSubjects outputSubjects = new OutputSubjects();
    private final Map<String, PipelineShape> pipelines = new ConcurrentHashMap<>();
    private final Map<String, Long> memories = new ConcurrentHashMap<>();
    private final Map<String, Long> rtts = new ConcurrentHashMap<>();
    private final Map<Set<String>, Long> peerRtts = new ConcurrentHashMap<>();
    private final Set<Set<String>> probing = ConcurrentHashMap.newKeySet();
    private final ExecutorService commandExecutor;
    private final ScheduledExecutorService timer;
    private @Nullable TrackingToken history;
    private @Nullable Dispatcher results;

    /** A bridge over {@code nats} that hands each placed job the input left for it in {@code inputs}. */
    public IslandBridge(Connection nats, CommandSender commands, Clock clock, BridgeSettings settings,
                        JobInputs inputs) {
        this(nats, commands, clock, settings, inputs, Cluster.alone());
    }

    /** A bridge of one node of {@code cluster}. */
    public IslandBridge(Connection nats, CommandSender commands, Clock clock, BridgeSettings settings,
                        JobInputs inputs, Cluster cluster) {
        this.nats = nats;
        this.settings = settings;
        this.inputs = inputs;
        this.relay = new StreamRelay(nats, chunk -> streams().relayed(chunk), chunk -> streams().fromHistory(chunk),
                jobId -> streams().historyReceived(jobId), (jobId, from, max) -> streams().released(jobId, from, max));
        this.streams = new JobStreams(settings.streamRetention(), relay);
        this.commandExecutor = Executors.newFixedThreadPool(4, daemons("bridge-command"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemons("bridge-timer"));
        this.requests = new IslandRequests(nats, rejections, cluster.node());
        this.dispatcher = new JobDispatcher(nats, commands, clock, settings, streams, inputs,
                rejections, commandExecutor, requests, cluster, relay, outputSubjects);
        this.prober = new Prober(nats, commands, clock, settings, rejections,
                island -> dispatcher.islandLost(island, HEARTBEATS_MISSED), commandExecutor, requests, cluster);
    }

    /** Starts hearing Island output, probing and checking deadlines. */
    public synchronized void start() {
        if (results != null) {
            return;
        }
        // one thread for everything Islands send: answers and output of a job come in the order they were sent
        results = nats.createDispatcher(message -> {
            if (Subjects.islandOfReply(message.getSubject()) != null) {
                requests.replied(message);
            } else {
                dispatcher.output(message);
            }
        });
        results.subscribe(requests.replies());
        outputSubjects.attach(results);
        long sliceMicros = Math.max(1, settings.probeInterval().toNanos() / 1_000 / PROBE_SLICES);
        long tickMillis = settings.tick().toMillis();
        AtomicInteger slice = new AtomicInteger();
        timer.scheduleAtFixedRate(() -> prober.probeSlice(slice.getAndIncrement() % PROBE_SLICES, PROBE_SLICES),
                0, sliceMicros, TimeUnit.MICROSECONDS);
        timer.scheduleWithFixedDelay(() -> {
            dispatcher.sweep();
            streams.sweep();
        }, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Events up to {@code head} (the store's head when the coordinator started) happened before this bridge. */
    public void historyUpTo(@Nullable TrackingToken head) {
        this.history = head;
    }

    /** The output of every job, for in-process subscribers. */
    public JobStreams streams() {
        return streams;
    }

    /** Where job inputs are left before their bids are submitted. */
    public JobInputs inputs() {
        return inputs;
    }

    /** What was refused from Islands, by reason. */
    public Rejections rejections() {
        return rejections;
    }

    /** What the probes measured of {@code islandId}, if it is known. */
    public Optional<IslandRtt> rtt(String islandId) {
        return prober.rtt(new IslandId(islandId));
    }

    /** Whether {@code islandId} is a registered Island, as far as the bridge has read the events. */
    public boolean knows(String islandId) {
        try {
            return prober.rtt(new IslandId(islandId)).isPresent();
        } catch (IllegalArgumentException notAnIslandId) {
            return false;
        }
    }

    /** How many jobs' output subjects this node hears: those it dispatched and that still run. */
    public int heardOutputSubjects() {
        return outputSubjects.size();
    }

    /** Jobs dispatched and not yet finished. */
    public int runningJobs() {
        return dispatcher.running();
    }

    @EventHandler
    void on(IslandRegistered event) {
        prober.registered(event.islandId());
    }

    @EventHandler
    void on(IslandWentOnline event) {
        prober.online(event.islandId());
    }

    /** Taken offline for missed heartbeats by the node that probes it: jobs this node dispatched there are lost. */
    @EventHandler
    void on(IslandWentOffline event, @Nullable TrackingToken token) {
        prober.offline(event.islandId(), event.reason());
        if (event.reason() == OfflineReason.HEARTBEATS_MISSED && !isHistory(token)) {
            dispatcher.islandLost(event.islandId(), HEARTBEATS_MISSED);
        }
    }

    @EventHandler
    void on(BidSubmitted event) {
        dispatcher.submitted(event.jobId(), event.maxUnits());
    }

    @EventHandler
    void on(JobPlaced event, @Nullable TrackingToken token) {
        if (isHistory(token)) {
            dispatcher.placedBefore(event);
        } else if (!versions.holds(event)) {
            dispatcher.placed(event, null);
        }
    }

    @EventHandler
    void on(CargoVersionPublished event) {
        versions.published(event);
    }

    /** The version of the placement just held: the job is offered with it, for the Island to verify. */
    @EventHandler
    void on(JobVersionAssigned event) {
        JobPlaced placed = versions.release(event);
        if (placed != null) {
            dispatcher.placed(placed, versions.offered(event));
        }
    }

    @EventHandler
    void on(PipelineDeclared event) {
        pipelines.put(event.cargo().value(), event.shape());
    }

    @EventHandler
    void on(PipelineFunded event) {
        dispatcher.submitted(event.jobId(), event.maxUnits());
    }

    /**
     * A pipeline job placed from now on is dispatched stage by stage; one placed before this bridge started is failed,
     * unless the events show it ended or a live node holds it ({@link JobDispatcher#pipelinePlacedBefore}).
     */
    @EventHandler
    void on(PipelinePlaced event, @Nullable TrackingToken token) {
        if (isHistory(token)) {
            dispatcher.pipelinePlacedBefore(event);
        } else {
            dispatcher.pipelinePlaced(event);
        }
    }

    @EventHandler
    void on(PipelineCompleted event, @Nullable TrackingToken token) {
        dispatcher.ended(event.jobId());
        if (!isHistory(token)) {
            streams.complete(event.jobId().value(), event.units());
        }
    }

    @EventHandler
    void on(PipelineFailed event, @Nullable TrackingToken token) {
        if (isHistory(token)) {
            dispatcher.ended(event.jobId());
        } else {
            dispatcher.pipelineFailed(event.jobId(), event.reason());
            streams.fail(event.jobId().value(), event.reason());
        }
    }

    @EventHandler
    void on(PipelineUnplaceable event, @Nullable TrackingToken token) {
        inputs.forget(event.jobId().value());
        if (!isHistory(token)) {
            streams.fail(event.jobId().value(), "the pipeline could not be placed: " + event.detail());
        }
    }

    /** The stages {@code cargo} runs as, when it was declared a pipeline. */
    public Optional<PipelineShape> pipelineOf(String cargo) {
        return Optional.ofNullable(pipelines.get(cargo));
    }

    /**
     * The latest round trip in microseconds the coordinator recorded to each Island ({@code IslandRttMeasured}, by
     * whichever node probes it), by Island id, for planning pipelines: an Island not measured yet is absent.
     */
    public Map<String, Long> measuredRtts() {
        return Map.copyOf(rtts);
    }

    /**
     * The memory in MiB each Island last reported it offers pipeline stages ({@code IslandMemoryReported}, from
     * whichever node probes it), by Island id: an Island that reported none is absent.
     */
    public Map<String, Long> reportedMemoryMib() {
        return Map.copyOf(memories);
    }

    /**
     * The round trip in microseconds between two Islands as one of them last measured it ({@link #probePeers}), if
     * it did.
     */
    public Optional<Long> peerRtt(String one, String other) {
        return Optional.ofNullable(peerRtts.get(Set.of(one, other)));
    }

    /**
     * Asks {@code one} to measure its round trip to {@code other} ({@code PeerProbe}, five pings), unless a probe of
     * the pair is already under way; the answer is kept for {@link #peerRtt}. Completes with whether it was measured.
     */
    public CompletableFuture<Boolean> probePeers(String one, String other) {
        Set<String> pair = Set.of(one, other);
        if (!probing.add(pair)) {
            return CompletableFuture.completedFuture(false);
        }
        return requests.request(one, Subjects.peerProbe(one), Codec.encode(new PeerProbe(Codec.VERSION, other, 5)),
                        PEER_PROBE_TIMEOUT)
                .handle((reply, failure) -> {
                    probing.remove(pair);
                    if (failure != null || reply == null) {
                        return false;
                    }
                    try {
                        PeerProbeReply answer = Codec.decode(reply.getData(), PeerProbeReply.class);
                        if (!answer.islandId().equals(one) || !answer.peer().equals(other) || answer.samples() == 0) {
                            return false;
                        }
                        peerRtts.put(pair, Math.max(1, answer.rttMicros()));
                        return true;
                    } catch (RejectedMessage rejected) {
                        rejections.count(reply.getSubject(), rejected);
                        return false;
                    }
                });
    }

    @EventHandler
    void on(IslandRttMeasured event) {
        rtts.put(event.islandId().value(), event.rttMicros());
    }

    @EventHandler
    void on(IslandMemoryReported event) {
        memories.put(event.islandId().value(), event.memoryMib());
    }

    @EventHandler
    void on(JobStarted event) {
        dispatcher.started(event.jobId());
    }

    @EventHandler
    void on(JobCompleted event, @Nullable TrackingToken token) {
        dispatcher.ended(event.jobId());
        if (!isHistory(token)) {
            streams.complete(event.jobId().value(), event.units());
        }
    }

    @EventHandler
    void on(JobFailed event, @Nullable TrackingToken token) {
        dispatcher.ended(event.jobId());
        if (!isHistory(token)) {
            streams.fail(event.jobId().value(), event.reason());
        }
    }

    /** The consumer left: the Island is told to stop, and whoever still follows the stream hears it ended. */
    @EventHandler
    void on(JobCancelled event, @Nullable TrackingToken token) {
        boolean live = !isHistory(token);
        dispatcher.cancelled(event.jobId(), event.islandId(), event.reason(), live);
        if (live) {
            streams.fail(event.jobId().value(), "the job was cancelled: " + event.reason());
        }
    }

    @EventHandler
    void on(BidCancelled event, @Nullable TrackingToken token) {
        dispatcher.ended(event.jobId());
        if (!isHistory(token)) {
            streams.fail(event.jobId().value(), "the bid was cancelled: " + event.reason());
        }
    }

    @EventHandler
    void on(JobReassigned event) {
        dispatcher.reassigned(event.jobId(), event.islandId());
    }

    /** A rejected bid never becomes a job: its input is not kept (a duplicate's input belongs to the first job). */
    @EventHandler
    void on(BidRejected event) {
        if (event.reason() != RejectionReason.MARKET_DUPLICATE_JOB) {
            inputs.forget(event.jobId().value());
        }
    }

    @EventHandler
    void on(BidExpired event, @Nullable TrackingToken token) {
        dispatcher.ended(event.jobId());
        if (!isHistory(token)) {
            streams.expire(event.jobId().value(), "no island took the job before its bid expired");
        }
    }

    private boolean isHistory(@Nullable TrackingToken token) {
        TrackingToken head = history;
        return head != null && token != null && head.covers(token);
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (results != null) {
            outputSubjects.detach();
            nats.closeDispatcher(results);
            results = null;
        }

        relay.close();
        commandExecutor.shutdown();
        try {
            // the commands already taken (results, lost Islands) are sent before the event store's followers close
            commandExecutor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        streams.close();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
