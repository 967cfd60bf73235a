package io.archipelago.bridge;

import io.archipelago.bridge.stream.JobStreams;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.CompletePipeline;
import io.archipelago.exchange.market.api.FailPipeline;
import io.archipelago.exchange.market.api.PipelinePlaced;
import io.archipelago.exchange.market.api.PlacedStage;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.ReassignJob;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobAccepted;
import io.archipelago.protocol.JobCancel;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.OfferedVersion;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.StageOffer;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends placed jobs to their Islands and takes their output back. Output is read on the NATS dispatcher thread and
 * never waits there: market commands go out on {@code commandExecutor}, in order per job, and chunks go to
 * {@link JobStreams}, which queue them per subscriber. A job whose Island refuses it, does not accept it in time,
 * reports an error, sends malformed output, goes silent, outlives its deadline or goes offline is lost on that
 * Island ({@link #lose}).
 *
 * <p>Every coordinator node reads every placement; each placement is dispatched by the one node that claims it in the
 * {@link Cluster}, which also republishes the output it releases ({@link StreamRelay}) for the node holding the
 * client. The others keep the job in mind as placed elsewhere, and take it over should its node stop: by then its
 * output since went nowhere they could check, so the job is lost like one running when the coordinator restarted.
 */
final class JobDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
    private static final long EXPIRY_INTERVAL_NANOS = 1_000_000_000L;
    private static final long TAKE_OVER_INTERVAL_NANOS = 1_000_000_000L;

    private final Connection nats;
    private final CommandSender commands;
    private final Clock clock;
    private final BridgeSettings settings;
    private final JobStreams streams;
    private final JobInputs inputs;
    private final Rejections rejections;
    private final Executor commandExecutor;
    private final IslandRequests requests;
    private final Cluster cluster;
    private final StreamRelay relay;
    private final OutputSubjects outputSubjects;
    private final Map<JobId, ActiveJob> jobs = new ConcurrentHashMap<>();
    private final Map<JobId, Long> maxUnits = new ConcurrentHashMap<>();
    /** Jobs taken back from their Island that no other Island took yet: they wait for a slot or their expiry. */
    private final Map<JobId, CargoType> waiting = new ConcurrentHashMap<>();
    private long lastExpiry;
    /** How many times each job not yet ended was placed, as the events tell it (the same count on every node). */
    private final Map<JobId, Integer> placements = new ConcurrentHashMap<>();
    /**
     * Jobs running where this bridge does not dispatch them: on another node, or on this one before it last stopped
     * (the event history tells those).
     */
    private final Map<JobId, Elsewhere> elsewhere = new ConcurrentHashMap<>();
    private final AtomicBoolean takingOver = new AtomicBoolean();
    private long lastTakeOver;

    /**
     * A job placed and dispatched elsewhere; {@code claimed} when some node is known to hold its placement (else it
     * is claimed once it is older than the stall timeout: whoever placed it stopped before dispatching it). A
     * pipeline job names every stage's Island in {@code stages}, the last one (whose output is the job's) as
     * {@code islandId}; an ordinary job has no stages.
     */
    private record Elsewhere(Cluster.Placement placement, CargoType cargo, IslandId islandId, List<IslandId> stages,
                             boolean started, long seenNanos, boolean claimed) {

        Elsewhere asStarted() {
            return new Elsewhere(placement, cargo, islandId, stages, true, seenNanos, claimed);
        }

        Elsewhere asClaimed() {
            return new Elsewhere(placement, cargo, islandId, stages, started, seenNanos, true);
        }

        boolean isPipeline() {
            return !stages.isEmpty();
        }

        /** Whether {@code island} may send output of this job: its Island, or any of its stages' Islands. */
        boolean runsOn(@Nullable String island) {
            return islandId.value().equals(island) || stages.stream().anyMatch(stage -> stage.value().equals(island));
        }
    }

    JobDispatcher(Connection nats, CommandSender commands, Clock clock, BridgeSettings settings, JobStreams streams,
                  JobInputs inputs, Rejections rejections, Executor commandExecutor, IslandRequests requests,
                  Cluster cluster, StreamRelay relay, OutputSubjects outputSubjects) {
        this.nats = nats;
        this.commands = commands;
        this.clock = clock;
        this.settings = settings;
        this.streams = streams;
        this.inputs = inputs;
        this.rejections = rejections;
        this.commandExecutor = commandExecutor;
        this.requests = requests;
        this.cluster = cluster;
        this.relay = relay;
        this.outputSubjects = outputSubjects;
    }

    void submitted(JobId jobId, long units) {
        maxUnits.put(jobId, units);
    }

    /**
     * A job placed from now on: dispatched, with the Cargo {@code version} the market assigned it (null for an
     * unversioned Cargo type), when this node claims the placement, else kept in mind elsewhere.
     */
    void placed(JobPlaced placed, @Nullable OfferedVersion version) {
        waiting.remove(placed.jobId());
        Cluster.Placement placement = count(placed);
        boolean mine;
        boolean claimed;
        try {
            mine = cluster.claim(placement);
            claimed = true;
        } catch (RuntimeException unwritable) {
            LOG.warn("could not claim placement {} of job {}: {}", placement.number(), placed.jobId(),
                    describe(unwritable));
            mine = false;
            claimed = false;
        }
        if (mine) {
            dispatch(placed, version);
        } else {
            elsewhere.put(placed.jobId(), new Elsewhere(placement, placed.cargo(), placed.islandId(), List.of(),
                    false, System.nanoTime(), claimed));
        }
    }

    /**
     * A pipeline job placed from now on: when this node claims it, each stage's Island is offered its stage, the last
     * stage first, so that every stage hears its input hop before the stage before it is offered and sends anything.
     * The job's output is the last stage's, taken like any job's; every stage's Island is heard for the errors it
     * reports. A stage that refuses, does not answer or reports an error, or an Island of the job that goes offline,
     * fails the job ({@link #lose}): nothing re-plans a pipeline yet. A job another node claimed is kept in mind
     * elsewhere, and failed here should that node stop ({@link #sweep}).
     */
    void pipelinePlaced(PipelinePlaced placed) {
        Cluster.Placement placement = countPipeline(placed);
        List<IslandId> islands = stageIslands(placed);
        boolean mine;
        boolean claimed;
        try {
            mine = cluster.claim(placement);
            claimed = true;
        } catch (RuntimeException unwritable) {
            LOG.warn("could not claim pipeline job {}: {}", placed.jobId(), describe(unwritable));
            mine = false;
            claimed = false;
        }
        if (!mine) {
            elsewhere.put(placed.jobId(), new Elsewhere(placement, placed.cargo(), islands.get(islands.size() - 1),
                    islands, true, System.nanoTime(), claimed));
            return;
        }
        long now = System.nanoTime();
        ActiveJob job = new ActiveJob(placed.jobId(), placed.cargo(), islands, placed.at(), now,
                now + settings.jobDeadline().toNanos());
        jobs.put(placed.jobId(), job);
        islands.forEach(island -> outputSubjects.hear(island, job.jobId));
        streams.dispatching(job.jobId.value());
        ObjectNode input = inputs.get(placed.jobId().value());
        JsonNode texts = input.path("input");
        int count = texts.isArray() ? texts.size() : 1;
        long deadline = System.currentTimeMillis() + settings.jobDeadline().toMillis();
        long paidFor = maxUnits.getOrDefault(placed.jobId(), 1L);
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (int k = islands.size() - 1; k >= 0; k--) {
            PlacedStage stage = placed.stages().get(k);
            StageOffer offered = new StageOffer(StageOffer.VERSION, k, islands.size(), stage.placement().fromLayer(),
                    stage.placement().toLayer(), count, k == 0 ? null : islands.get(k - 1).value(),
                    k == islands.size() - 1 ? null : islands.get(k + 1).value());
            JobOffer offer = new JobOffer(Codec.VERSION, placed.jobId().value(), placed.cargo().value(),
                    k == 0 ? input : Codec.json().createObjectNode(), paidFor, deadline, null, offered);
            IslandId island = islands.get(k);
            chain = chain.thenCompose(going -> !going ? CompletableFuture.completedFuture(false)
                    : requests.request(island.value(), Subjects.jobs(island.value()), Codec.encode(offer),
                            settings.acceptTimeout()).handle((reply, failure) -> stageAnswered(job, island,
                            offered.index(), reply, failure)));
        }
        chain.thenAccept(allTook -> {
            if (allTook) {
                synchronized (job) {
                    job.accepted(System.nanoTime());
                }
            }
        });
    }

    /** Whether the stage's Island took its stage; if not, the job is lost on it. */
    private boolean stageAnswered(ActiveJob job, IslandId island, int index, @Nullable Message reply,
                                  @Nullable Throwable failure) {
        String refusal = null;
        if (failure != null || reply == null) {
            refusal = "the island of stage " + index + " did not take it: "
                    + (failure == null ? "no answer" : describe(failure));
        } else {
            try {
                JobAccepted answer = Codec.decode(reply.getData(), JobAccepted.class);
                if (!answer.accepted() || !answer.jobId().equals(job.jobId.value())) {
                    refusal = "the island of stage " + index + " refused it: " + answer.reason();
                }
            } catch (RejectedMessage rejected) {
                rejections.count(reply.getSubject(), rejected);
                refusal = "malformed result: the answer of stage " + index + "'s island: " + rejected.getMessage();
            }
        }
        if (refusal != null) {
            lose(job, refusal, island);
            return false;
        }
        synchronized (job) {
            return !job.isOver();
        }
    }

    /** Output of a pipeline job from one of its stages before the last: only an error is expected there. */
    private void stageOutput(ActiveJob job, IslandId island, Message message) {
        int index = job.stages.indexOf(island);
        try {
            JobOutput output = Codec.decode(message.getData(), JobOutput.class);
            if (output.kind() == JobOutput.Kind.ERROR && output.jobId().equals(job.jobId.value())) {
                lose(job, "stage " + index + " failed: " + output.error(), island);
                return;
            }
            rejections.count(message.getSubject(), new RejectedMessage(RejectedMessage.Reason.UNEXPECTED,
                    "stage " + index + " of pipeline job " + job.jobId + " sent output that is not an error"));
        } catch (RejectedMessage rejected) {
            rejections.count(message.getSubject(), rejected);
            lose(job, "malformed result from stage " + index + ": " + rejected.getMessage(), island);
        }
    }

    private Cluster.Placement countPipeline(PipelinePlaced placed) {
        return new Cluster.Placement(placed.jobId(), placements.merge(placed.jobId(), 1, Integer::sum));
    }

    private static List<IslandId> stageIslands(PipelinePlaced placed) {
        return placed.stages().stream().map(stage -> stage.placement().islandId()).toList();
    }

    private Cluster.Placement count(JobPlaced placed) {
        return new Cluster.Placement(placed.jobId(), placements.merge(placed.jobId(), 1, Integer::sum));
    }

    private void dispatch(JobPlaced placed, @Nullable OfferedVersion version) {
        long now = System.nanoTime();
        ActiveJob job = new ActiveJob(placed.jobId(), placed.cargo(), placed.islandId(), placed.at(), now,
                now + settings.jobDeadline().toNanos());
        ActiveJob previous = jobs.put(placed.jobId(), job);
        if (previous != null) {
            synchronized (previous) {
                previous.end();
            }
            if (!previous.islandId.equals(job.islandId)) {
                outputSubjects.stopHearing(previous.islandId, previous.jobId);
            }
        }
        outputSubjects.hear(job.islandId, job.jobId);
        streams.dispatching(job.jobId.value());
        JobOffer offer = new JobOffer(Codec.VERSION, placed.jobId().value(), placed.cargo().value(),
                inputs.get(placed.jobId().value()), maxUnits.getOrDefault(placed.jobId(), 1L),
                System.currentTimeMillis() + settings.jobDeadline().toMillis(), version);
        requests.request(placed.islandId().value(), Subjects.jobs(placed.islandId().value()), Codec.encode(offer),
                        settings.acceptTimeout())
                .whenComplete((reply, failure) -> answered(job, reply, failure));
    }

    private void answered(ActiveJob job, @Nullable Message reply, @Nullable Throwable failure) {
        if (failure != null || reply == null) {
            lose(job, "the island did not take the job: " + (failure == null ? "no answer" : describe(failure)));
            return;
        }
        JobAccepted answer;
        try {
            answer = Codec.decode(reply.getData(), JobAccepted.class);
        } catch (RejectedMessage rejected) {
            rejections.count(reply.getSubject(), rejected);
            lose(job, "malformed result: the island's answer to the offer: " + rejected.getMessage());
            return;
        }
        if (!answer.accepted() || !answer.jobId().equals(job.jobId.value())) {
            lose(job, "the island refused the job: " + answer.reason());
            return;
        }
        synchronized (job) {
            job.accepted(System.nanoTime());
        }
    }

    /** Output of a job, as an Island published it on {@link Subjects#results}. */
    void output(Message message) {
        String subject = message.getSubject();
        String island = Subjects.islandOfResults(subject);
        String jobOfSubject = Subjects.jobOfResults(subject);
        JobId jobId = jobOfSubject == null ? null : jobIdOrNull(jobOfSubject);
        ActiveJob job = jobId == null ? null : jobs.get(jobId);
        if (job == null && jobId != null && isDispatchedElsewhere(jobId, island)) {
            return;
        }
        if (job != null && island != null && job.isPipeline() && !job.islandId.value().equals(island)) {
            IslandId stageIsland = new IslandId(island);
            if (job.stages.contains(stageIsland)) {
                stageOutput(job, stageIsland, message);
                return;
            }
        }
        if (job == null || island == null || !job.islandId.value().equals(island)) {
            rejections.count(subject, new RejectedMessage(RejectedMessage.Reason.UNEXPECTED,
                    "no job " + jobOfSubject + " is running on island " + island));
            return;
        }
        JobOutput output;
        try {
            output = Codec.decode(message.getData(), JobOutput.class);
        } catch (RejectedMessage rejected) {
            rejections.count(subject, rejected);
            lose(job, "malformed result: " + rejected.getMessage());
            return;
        }
        if (!output.jobId().equals(job.jobId.value())) {
            rejections.count(subject, new RejectedMessage(RejectedMessage.Reason.UNEXPECTED,
                    "output of job " + output.jobId() + " on the subject of job " + job.jobId));
            lose(job, "malformed result: output of another job on its subject");
            return;
        }
        ActiveJob.Step step;
        synchronized (job) {
            if (job.isOver()) {
                return;
            }
            step = job.take(output, System.nanoTime());
            for (StreamChunk chunk : step.released()) {
                streams.chunk(chunk);
                relay.publish(chunk);
            }
            if (step.started() && !job.isPipeline()) {
                long ttft = Math.max(0, Duration.between(job.placedAt, clock.instant()).toNanos() / 1000);
                send(job, () -> new StartJob(job.cargo, job.jobId, ttft, clock.instant()));
            }
        }
        switch (step.verdict()) {
            case DUPLICATE -> rejections.duplicate();
            case COMPLETE -> complete(job, step.units());
            case LOST -> lose(job, step.reason());
            case CONTINUE -> {
                // more output to come
            }
        }
    }

    private void complete(ActiveJob job, long units) {
        synchronized (job) {
            if (!job.end()) {
                return;
            }
            untrack(job);
            if (job.isPipeline()) {
                send(job, () -> new CompletePipeline(job.cargo, job.jobId, units, clock.instant()));
                return;
            }
            send(job, () -> new CompleteJob(job.cargo, job.jobId, units, clock.instant()));
        }
    }

    /**
     * The job is lost on its Island, which is told to stop. While nothing reached subscribers the market places it
     * on the next eligible Island ({@link ReassignJob}); once output streamed it fails and is refunded. Either way
     * the Island's karma records it. A job that finds no other Island rests until its bid expires, which the
     * bridge sees to ({@link #sweep}).
     */
    void lose(ActiveJob job, String reason) {
        lose(job, reason, null);
    }

    /**
     * As {@link #lose(ActiveJob, String)}, with the Island at fault when it is known; a pipeline job is failed and
     * refunded whatever it streamed, every stage's Island told to stop, and {@code fault}'s karma records it.
     */
    void lose(ActiveJob job, String reason, @Nullable IslandId fault) {
        synchronized (job) {
            if (!job.end()) {
                return;
            }
            untrack(job);
            if (job.isPipeline()) {
                LOG.info("pipeline job {} lost ({}): {}", job.jobId, fault == null ? "no stage blamed" : fault,
                        reason);
                for (IslandId island : job.islands()) {
                    nats.publish(Subjects.cancel(island.value()),
                            Codec.encode(new JobCancel(Codec.VERSION, job.jobId.value(), reason)));
                }
                send(job, () -> new FailPipeline(job.cargo, job.jobId, fault, reason, clock.instant()));
                return;
            }
            boolean streamed = job.hasStreamed();
            LOG.info("job {} lost on island {} ({}): {}", job.jobId, job.islandId,
                    streamed ? "failing it" : "placing it again", reason);
            nats.publish(Subjects.cancel(job.islandId.value()),
                    Codec.encode(new JobCancel(Codec.VERSION, job.jobId.value(), reason)));
            if (streamed) {
                send(job, () -> new FailJob(job.cargo, job.jobId, reason, clock.instant()));
                return;
            }
            job.chain(() -> reassign(job, reason), commandExecutor);
        }
    }

    /**
     * Whether output of a job this node does not run is another node's to check: the job runs elsewhere on that
     * Island, or, with other nodes live, it may have been placed there before this node read the placement.
     */
    private boolean isDispatchedElsewhere(JobId jobId, @Nullable String island) {
        Elsewhere placed = elsewhere.get(jobId);
        if (placed != null) {
            return placed.runsOn(island);
        }
        return cluster.liveNodes().size() > 1;
    }

    /**
     * A job this node took over from a node that stopped (its previous run included): whatever its Island streamed
     * since went nowhere, so it is handled as a lost job and the Island is told to stop. Should the events read later
     * show that it ended after all, the market refuses the command and nothing changes.
     */
    private void loseOrphan(JobId jobId, Elsewhere orphan) {
        String reason = "the coordinator restarted (or the node that dispatched the job stopped) while the job ran";
        if (orphan.isPipeline()) {
            failOrphanPipeline(jobId, orphan, reason);
            return;
        }
        LOG.info("job {} on island {} was running on a coordinator that stopped: {}", jobId, orphan.islandId(),
                orphan.started() ? "failing it" : "placing it again");
        nats.publish(Subjects.cancel(orphan.islandId().value()),
                Codec.encode(new JobCancel(Codec.VERSION, jobId.value(), reason)));
        ActiveJob job = new ActiveJob(jobId, orphan.cargo(), orphan.islandId(), clock.instant(), System.nanoTime(),
                System.nanoTime());
        if (orphan.started()) {
            send(job, () -> new FailJob(orphan.cargo(), jobId, reason, clock.instant()));
        } else {
            job.chain(() -> reassign(job, reason), commandExecutor);
        }
    }

    /**
     * A pipeline job whose dispatching node stopped: its stages' output since went nowhere and no stage is to blame,
     * so it fails with no Island at fault (the whole escrow back, no karma charged) and every stage is told to stop.
     */
    private void failOrphanPipeline(JobId jobId, Elsewhere orphan, String reason) {
        LOG.info("pipeline job {} on islands {} was running on a coordinator that stopped: failing it", jobId,
                orphan.stages());
        for (IslandId island : orphan.stages()) {
            nats.publish(Subjects.cancel(island.value()),
                    Codec.encode(new JobCancel(Codec.VERSION, jobId.value(), reason)));
        }
        ActiveJob job = new ActiveJob(jobId, orphan.cargo(), orphan.stages(), clock.instant(), System.nanoTime(),
                System.nanoTime());
        send(job, () -> new FailPipeline(orphan.cargo(), jobId, null, reason, clock.instant()));
    }

    /** Asks the market to place the job elsewhere; should it refuse, the job fails instead. */
    private CompletableFuture<?> reassign(ActiveJob job, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ReassignJob command = new ReassignJob(job.cargo, job.jobId, reason, clock.instant());
        commands.send(command).whenComplete((outcome, refused) -> {
            if (refused == null) {
                if (outcome instanceof BidOutcome result && result.status() == BidOutcome.Status.RESTING) {
                    waiting.put(job.jobId, job.cargo);
                }
                done.complete(null);
                return;
            }
            LOG.warn("the market did not reassign {}: {}; failing it", job.jobId, describe(refused));
            commands.send(new FailJob(job.cargo, job.jobId, reason, clock.instant()))
                    .whenComplete((ignored, failure) -> done.complete(null));
        });
        return done;
    }

    /** Forgets a job dispatched here and stops hearing its output; false when another run replaced it. */
    private boolean untrack(ActiveJob job) {
        if (!jobs.remove(job.jobId, job)) {
            return false;
        }
        job.islands().forEach(island -> outputSubjects.stopHearing(island, job.jobId));
        return true;
    }

    /** The market settled, failed or expired the job: nothing more to do for it here. */
    void ended(JobId jobId) {
        waiting.remove(jobId);
        elsewhere.remove(jobId);
        placements.remove(jobId);
        maxUnits.remove(jobId);
        inputs.forget(jobId.value());
        ActiveJob job = jobs.get(jobId);
        if (job != null && untrack(job)) {
            synchronized (job) {
                job.end();
            }
        }
    }

    /**
     * A pipeline job failed by a command this node's dispatch did not send (a dead request's retry, another node):
     * when this node dispatched it, every stage's Island still running it is told to stop.
     */
    void pipelineFailed(JobId jobId, String reason) {
        ActiveJob job = jobs.get(jobId);
        boolean running = false;
        if (job != null) {
            synchronized (job) {
                // a job this node lost itself is over already, and its Islands were told then
                running = !job.isOver();
            }
        }
        ended(jobId);
        if (job != null && running) {
            for (IslandId island : job.islands()) {
                nats.publish(Subjects.cancel(island.value()),
                        Codec.encode(new JobCancel(Codec.VERSION, jobId.value(), reason)));
            }
        }
    }

    /**
     * The consumer cancelled the job: it ends here, and when {@code tell} (the event is news, not history) the Island
     * is told to stop. Every node's bridge sees the event, so the Island may hear it more than once; stopping twice
     * is harmless.
     */
    void cancelled(JobId jobId, IslandId islandId, String reason, boolean tell) {
        ended(jobId);
        if (tell) {
            nats.publish(Subjects.cancel(islandId.value()),
                    Codec.encode(new JobCancel(Codec.VERSION, jobId.value(), "cancelled: " + reason)));
        }
    }

    /** The market took the job back from {@code islandId}; a dispatch still running there is over. */
    void reassigned(JobId jobId, IslandId islandId) {
        elsewhere.remove(jobId);
        ActiveJob job = jobs.get(jobId);
        if (job != null && job.islandId.equals(islandId)) {
            untrack(job);
            synchronized (job) {
                job.end();
            }
        }
    }

    /**
     * A job placed before this bridge started: unless the events show it ended, or a live node holds it, it is taken
     * over and lost ({@link #sweep}).
     */
    void placedBefore(JobPlaced placed) {
        elsewhere.put(placed.jobId(), new Elsewhere(count(placed), placed.cargo(), placed.islandId(), List.of(),
                false, System.nanoTime(), false));
    }

    /**
     * A pipeline job placed before this bridge started: unless the events show it ended, or a live node holds it, it
     * is taken over and failed with no stage to blame ({@link #sweep}).
     */
    void pipelinePlacedBefore(PipelinePlaced placed) {
        List<IslandId> islands = stageIslands(placed);
        elsewhere.put(placed.jobId(), new Elsewhere(countPipeline(placed), placed.cargo(),
                islands.get(islands.size() - 1), islands, true, System.nanoTime(), false));
    }

    /** A job started streaming; should it be running elsewhere, it can no longer move to another Island. */
    void started(JobId jobId) {
        elsewhere.computeIfPresent(jobId, (id, placed) -> placed.asStarted());
    }

    /** An Island stopped answering probes: every job it runs is lost. */
    void islandLost(IslandId islandId, String reason) {
        jobs.values().stream().filter(job -> job.islands().contains(islandId)).toList()
                .forEach(job -> lose(job, reason, islandId));
    }

    /**
     * Loses the jobs that went silent or outlived their deadline; once a second asks the markets of jobs waiting
     * after a reassignment to expire the bids whose time ran out, so none of them waits past it, and takes over
     * the jobs running elsewhere that no live node holds ({@link #takeOver}, off this thread: it asks the database).
     */
    void sweep() {
        long now = System.nanoTime();
        if (!elsewhere.isEmpty() && now - lastTakeOver > TAKE_OVER_INTERVAL_NANOS
                && takingOver.compareAndSet(false, true)) {
            lastTakeOver = now;
            commandExecutor.execute(() -> {
                try {
                    takeOver(now);
                } catch (RuntimeException unreachable) {
                    LOG.warn("taking over jobs of stopped nodes failed, trying again: {}", describe(unreachable));
                } finally {
                    takingOver.set(false);
                }
            });
        }
        if (!waiting.isEmpty() && now - lastExpiry > EXPIRY_INTERVAL_NANOS) {
            lastExpiry = now;
            Set.copyOf(waiting.values()).forEach(cargo -> commands.send(new ExpireBids(cargo, clock.instant())));
        }
        long stall = settings.stallTimeout().toNanos();
        for (ActiveJob job : List.copyOf(jobs.values())) {
            String reason = null;
            synchronized (job) {
                if (now - job.deadlineNanos > 0) {
                    reason = "the job ran past its deadline of " + settings.jobDeadline();
                } else if (job.silentFor(now) > stall) {
                    reason = job.isAccepted() ? "the island stalled: no output for " + settings.stallTimeout()
                            : "the island did not accept the job in time";
                }
            }
            if (reason != null) {
                lose(job, reason);
            }
        }
    }

    /**
     * Claims the placements no node claimed that are older than the stall timeout (their node stopped before it
     * could), then takes over those whose node is no longer live, and loses every job it now holds.
     */
    private void takeOver(long now) {
        List<Cluster.Placement> claimed = new ArrayList<>();
        for (Map.Entry<JobId, Elsewhere> entry : List.copyOf(elsewhere.entrySet())) {
            Elsewhere placed = entry.getValue();
            if (placed.claimed()) {
                claimed.add(placed.placement());
            } else if (now - placed.seenNanos() > settings.stallTimeout().toNanos()) {
                if (cluster.claim(placed.placement())) {
                    adopt(placed.placement());
                } else {
                    elsewhere.replace(entry.getKey(), placed, placed.asClaimed());
                }
            }
        }
        if (!claimed.isEmpty()) {
            cluster.takeOver(claimed).forEach(this::adopt);
        }
    }

    /** This node now holds {@code placement}: unless its job ended or moved meanwhile, it is lost here. */
    private void adopt(Cluster.Placement placement) {
        Elsewhere[] taken = new Elsewhere[1];
        elsewhere.computeIfPresent(placement.jobId(), (id, current) -> {
            if (!current.placement().equals(placement)) {
                return current;
            }
            taken[0] = current;
            return null;
        });
        if (taken[0] != null) {
            loseOrphan(placement.jobId(), taken[0]);
        }
    }

    int running() {
        return jobs.size();
    }

    private void send(ActiveJob job, Supplier<Object> command) {
        job.chain(() -> {
            Object built = command.get();
            CompletableFuture<?> sent = commands.send(built);
            return sent.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    LOG.warn("the market refused {}: {}", built.getClass().getSimpleName(), describe(failure));
                }
            });
        }, commandExecutor);
    }

    private static JobId jobIdOrNull(String value) {
        try {
            return new JobId(value);
        } catch (IllegalArgumentException notAJobId) {
            return new JobId("-");
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
