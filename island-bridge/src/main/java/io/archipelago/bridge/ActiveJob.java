package io.archipelago.bridge;

import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Payload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One job dispatched to an Island, and the order its output is put back in: chunks, of any payload type, are
 * released strictly by sequence number, those that arrive early wait (at most {@link #MAX_AHEAD}), those seen before
 * are dropped. The job
 * completes when its final message has come and every chunk it announced has been released. Callers hold the
 * job's monitor.
 */
final class ActiveJob {

    /** How far ahead of the next expected chunk an Island may run before its output counts as malformed. */
    static final int MAX_AHEAD = 4096;

    /** What one output message did to the job. */
    enum Verdict {
        /** Nothing more than the released chunks, if any. */
        CONTINUE,
        /** A chunk seen before, dropped. */
        DUPLICATE,
        /** Every chunk is in and the final message came: settle. */
        COMPLETE,
        /** The output cannot be trusted or the Island reported failure: the job is lost on this Island. */
        LOST
    }

    /** The result of taking one output message. */
    record Step(List<StreamChunk> released, boolean started, Verdict verdict, long units, String reason) {
    }

    final JobId jobId;
    final CargoType cargo;
    final IslandId islandId;
    final Instant placedAt;
    /** For a pipeline job, the Islands of its stages in order (the last is {@link #islandId}); else empty. */
    final List<IslandId> stages;
    final long deadlineNanos;
    private final TreeMap<Long, Payload> ahead = new TreeMap<>();
    private long nextSeq;
    private long announced = -1;
    private long units;
    private long lastHeardNanos;
    private boolean accepted;
    private boolean over;
    private CompletableFuture<?> commands = CompletableFuture.completedFuture(null);

    ActiveJob(JobId jobId, CargoType cargo, IslandId islandId, Instant placedAt, long nowNanos, long deadlineNanos) {
        this(jobId, cargo, List.of(islandId), placedAt, nowNanos, deadlineNanos);
    }

    /**
     * A job run by {@code islands}: one Island, or the stages of a pipeline in order, whose last stage's output is
     * the job's.
     */
    ActiveJob(JobId jobId, CargoType cargo, List<IslandId> islands, Instant placedAt, long nowNanos,
              long deadlineNanos) {
        this.islandId = islands.get(islands.size() - 1);
        this.stages = islands.size() > 1 ? List.copyOf(islands) : List.of();
        this.jobId = jobId;
        this.cargo = cargo;
        this.placedAt = placedAt;
        this.lastHeardNanos = nowNanos;
        this.deadlineNanos = deadlineNanos;
    }

    Step take(JobOutput output, long nowNanos) {
        lastHeardNanos = nowNanos;
        return switch (output.kind()) {
            case CHUNK -> chunk(output.seq(), output.body());
            case DONE -> done(output.seq(), output.units());
            case ERROR -> new Step(List.of(), false, Verdict.LOST, 0, "the island reported: " + output.error());
        };
    }

    private Step chunk(long seq, @Nullable Payload payload) {
        if (payload == null) {
            return lost("chunk " + seq + " carries nothing");
        }
        if (seq < nextSeq || ahead.containsKey(seq)) {
            return new Step(List.of(), false, Verdict.DUPLICATE, 0, "");
        }
        if (announced >= 0 && seq >= announced) {
            return lost("chunk " + seq + " after the final message announced " + announced);
        }
        if (seq - nextSeq > MAX_AHEAD) {
            return lost("chunk " + seq + " is more than " + MAX_AHEAD + " ahead of " + nextSeq);
        }
        boolean first = nextSeq == 0;
        ahead.put(seq, payload);
        List<StreamChunk> released = new ArrayList<>();
        while (!ahead.isEmpty() && ahead.firstKey() == nextSeq) {
            released.add(new StreamChunk(jobId.value(), nextSeq, ahead.pollFirstEntry().getValue()));
            nextSeq++;
        }
        boolean started = first && !released.isEmpty();
        if (announced >= 0 && nextSeq == announced) {
            return new Step(released, started, Verdict.COMPLETE, units, "");
        }
        return new Step(released, started, Verdict.CONTINUE, 0, "");
    }

    private Step done(long chunks, long usedUnits) {
        if (announced >= 0) {
            return new Step(List.of(), false, Verdict.DUPLICATE, 0, "");
        }
        if (chunks < nextSeq || (!ahead.isEmpty() && ahead.lastKey() >= chunks)) {
            return lost("the final message announced " + chunks + " chunks but more came");
        }
        announced = chunks;
        units = usedUnits;
        return nextSeq == chunks ? new Step(List.of(), false, Verdict.COMPLETE, units, "")
                : new Step(List.of(), false, Verdict.CONTINUE, 0, "");
    }

    private static Step lost(String reason) {
        return new Step(List.of(), false, Verdict.LOST, 0, "malformed result: " + reason);
    }

    /** Whether the job is a pipeline's, run by several Islands. */
    boolean isPipeline() {
        return !stages.isEmpty();
    }

    /** Every Island the job runs on. */
    List<IslandId> islands() {
        return stages.isEmpty() ? List.of(islandId) : stages;
    }

    /** Whether any output reached subscribers: past that point the job cannot move to another Island. */
    boolean hasStreamed() {
        return nextSeq > 0;
    }

    void accepted(long nowNanos) {
        accepted = true;
        lastHeardNanos = nowNanos;
    }

    boolean isAccepted() {
        return accepted;
    }

    /** Marks the job finished on this Island; true only for the first caller. */
    boolean end() {
        if (over) {
            return false;
        }
        over = true;
        return true;
    }

    boolean isOver() {
        return over;
    }

    long silentFor(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    /** Runs {@code next} after every command sent before for this job, so the market sees them in order. */
    void chain(Supplier<CompletableFuture<?>> next, Executor executor) {
        commands = commands.handle((ignored, failure) -> null).thenComposeAsync(ignored -> next.get(), executor);
    }
}
