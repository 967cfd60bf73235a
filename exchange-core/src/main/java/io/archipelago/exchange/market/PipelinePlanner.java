package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.market.api.IslandRtt;
import io.archipelago.exchange.market.api.PipelinePlan;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.market.api.StageCandidate;
import io.archipelago.exchange.market.api.StagePlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plans a pipeline: one Island per stage, each stage on a different Island with the memory the stage needs, every
 * hop's round-trip time measured, and the path's round trips (coordinator to the first stage, stage to stage, the
 * last back) as short as possible; ties go to the plan whose Island ids come first, stage by stage. Every stage is
 * placed or none is. Pure: the same candidates and round trips always give the same plan.
 *
 * <p>The search is depth-first over the candidates in order of their round trip to the coordinator, cutting any
 * branch already longer than the best plan found. It looks at no more than {@link #MAX_STEPS} partial plans, so a
 * very large market gets the best plan found within them, not necessarily the shortest.
 */
public final class PipelinePlanner {

    /** The most partial plans one search looks at. */
    public static final int MAX_STEPS = 200_000;

    private static final Comparator<StageCandidate> ORDER = Comparator.comparingLong(StageCandidate::rttMicros)
            .thenComparing(StageCandidate::islandId);

    private PipelinePlanner() {
    }

    /** The shortest plan of {@code shape} on {@code candidates} given the {@code rtts} between them, if any. */
    public static Optional<PipelinePlan> plan(PipelineShape shape, List<StageCandidate> candidates,
                                              List<IslandRtt> rtts) {
        return search(shape, fitting(shape, candidates), rtts);
    }

    /**
     * A plan for the same job after {@code leaving} left: every stage on another Island keeps it, and the stages
     * that were on {@code leaving} move to the Islands that make the new path shortest, by the same rule as
     * {@link #plan}. Empty when no Island can take them, or when a kept Island is no longer among the candidates.
     */
    public static Optional<PipelinePlan> replan(PipelineShape shape, PipelinePlan current, IslandId leaving,
                                                List<StageCandidate> candidates, List<IslandRtt> rtts) {
        if (current.stages().size() != shape.stages().size()) {
            throw new IllegalArgumentException("the plan has " + current.stages().size() + " stages, the shape "
                    + shape.stages().size());
        }
        List<StageCandidate> remaining = candidates.stream().filter(c -> !c.islandId().equals(leaving)).toList();
        Set<IslandId> kept = new HashSet<>();
        for (StagePlacement stage : current.stages()) {
            if (!stage.islandId().equals(leaving)) {
                kept.add(stage.islandId());
            }
        }
        List<List<StageCandidate>> fitting = new ArrayList<>(fitting(shape, remaining));
        for (StagePlacement stage : current.stages()) {
            if (!stage.islandId().equals(leaving)) {
                fitting.set(stage.index(), fitting.get(stage.index()).stream()
                        .filter(c -> c.islandId().equals(stage.islandId())).limit(1).toList());
            } else {
                fitting.set(stage.index(), fitting.get(stage.index()).stream()
                        .filter(c -> !kept.contains(c.islandId())).toList());
            }
        }
        return search(shape, fitting, rtts);
    }

    private static List<List<StageCandidate>> fitting(PipelineShape shape, List<StageCandidate> candidates) {
        List<List<StageCandidate>> fitting = new ArrayList<>();
        int count = shape.stages().size();
        for (int i = 0; i < count; i++) {
            PipelineStage stage = shape.stages().get(i);
            boolean meetsCoordinator = i == 0 || i == count - 1;
            fitting.add(candidates.stream()
                    .filter(c -> c.memoryMib() >= stage.memoryMib())
                    .filter(c -> !meetsCoordinator || c.rttMicros() != IslandConditions.RTT_UNKNOWN)
                    .distinct().sorted(ORDER).toList());
        }
        return fitting;
    }

    private static Optional<PipelinePlan> search(PipelineShape shape, List<List<StageCandidate>> fitting,
                                                 List<IslandRtt> rtts) {
        Map<Set<IslandId>, Long> between = new HashMap<>();
        for (IslandRtt rtt : rtts) {
            between.merge(Set.of(rtt.one(), rtt.other()), rtt.rttMicros(), Math::min);
        }
        Search search = new Search(shape, fitting, between);
        search.extend(0, null, 0);
        return Optional.ofNullable(search.best).map(best -> plan(shape, best, between));
    }

    private static PipelinePlan plan(PipelineShape shape, List<StageCandidate> chosen,
                                     Map<Set<IslandId>, Long> between) {
        List<StagePlacement> stages = new ArrayList<>();
        long path = 0;
        for (int i = 0; i < chosen.size(); i++) {
            PipelineStage stage = shape.stages().get(i);
            long hop = i == 0 ? chosen.get(0).rttMicros()
                    : between.get(Set.of(chosen.get(i - 1).islandId(), chosen.get(i).islandId()));
            stages.add(new StagePlacement(i, stage.fromLayer(), stage.toLayer(), chosen.get(i).islandId(), hop));
            path = saturatedAdd(path, hop);
        }
        path = saturatedAdd(path, chosen.get(chosen.size() - 1).rttMicros());
        return new PipelinePlan(stages, path);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static final class Search {

        private final PipelineShape shape;
        private final List<List<StageCandidate>> fitting;
        private final Map<Set<IslandId>, Long> between;
        private final List<StageCandidate> path = new ArrayList<>();
        private final Set<IslandId> used = new HashSet<>();
        private @Nullable List<StageCandidate> best;
        private long bestCost = Long.MAX_VALUE;
        private int steps;

        Search(PipelineShape shape, List<List<StageCandidate>> fitting, Map<Set<IslandId>, Long> between) {
            this.shape = shape;
            this.fitting = fitting;
            this.between = between;
        }

        void extend(int stage, @Nullable StageCandidate previous, long cost) {
            if (stage == shape.stages().size()) {
                long total = saturatedAdd(cost, Objects.requireNonNull(previous).rttMicros());
                if (total < bestCost || total == bestCost && comesFirst(path, best)) {
                    bestCost = total;
                    best = List.copyOf(path);
                }
                return;
            }
            for (StageCandidate candidate : fitting.get(stage)) {
                if (steps >= MAX_STEPS) {
                    return;
                }
                if (used.contains(candidate.islandId())) {
                    continue;
                }
                long hop;
                if (previous == null) {
                    hop = candidate.rttMicros();
                } else {
                    Long measured = between.get(Set.of(previous.islandId(), candidate.islandId()));
                    if (measured == null) {
                        continue;
                    }
                    hop = measured;
                }
                long next = saturatedAdd(cost, hop);
                if (next > bestCost) {
                    continue;
                }
                steps++;
                path.add(candidate);
                used.add(candidate.islandId());
                extend(stage + 1, candidate, next);
                used.remove(candidate.islandId());
                path.remove(path.size() - 1);
            }
        }

        private static boolean comesFirst(List<StageCandidate> one, @Nullable List<StageCandidate> other) {
            if (other == null) {
                return true;
            }
            for (int i = 0; i < one.size(); i++) {
                int order = one.get(i).islandId().compareTo(other.get(i).islandId());
                if (order != 0) {
                    return order < 0;
                }
            }
            return false;
        }
    }
}
