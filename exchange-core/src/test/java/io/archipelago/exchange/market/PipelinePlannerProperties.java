package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.market.api.IslandRtt;
import io.archipelago.exchange.market.api.PipelinePlan;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.market.api.StageCandidate;
import io.archipelago.exchange.market.api.StagePlacement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The pipeline planner against a reference that tries every assignment of distinct Islands to stages: it finds the
 * same plan (shortest path, then Island ids), places every stage or none, never puts a stage on an Island without
 * the memory or two stages on one Island, never uses an unmeasured hop, and does not depend on the candidates'
 * order.
 */
class PipelinePlannerProperties {

    private static final long[] MEMORY = {256, 512, 1024};
    private static final long[] RTT = {100, 200, 300, 5_000};

    /** A market drawn from a seed: up to seven Islands, two or three stages, some hops not measured. */
    record Instance(PipelineShape shape, List<StageCandidate> candidates, List<IslandRtt> rtts) {

        static Instance of(long seed) {
            Random random = new Random(seed);
            int stages = 2 + random.nextInt(2);
            List<PipelineStage> list = new ArrayList<>();
            for (int i = 0; i < stages; i++) {
                list.add(new PipelineStage(2 * i, 2 * i + 2, MEMORY[random.nextInt(MEMORY.length)]));
            }
            int islands = random.nextInt(8);
            List<StageCandidate> candidates = new ArrayList<>();
            for (int i = 0; i < islands; i++) {
                long rtt = random.nextInt(6) == 0 ? IslandConditions.RTT_UNKNOWN : RTT[random.nextInt(RTT.length)];
                candidates.add(new StageCandidate(new IslandId("i" + i), MEMORY[random.nextInt(MEMORY.length)], rtt));
            }
            List<IslandRtt> rtts = new ArrayList<>();
            for (int a = 0; a < islands; a++) {
                for (int b = a + 1; b < islands; b++) {
                    if (random.nextInt(5) != 0) {
                        rtts.add(new IslandRtt(new IslandId("i" + a), new IslandId("i" + b),
                                RTT[random.nextInt(RTT.length)]));
                    }
                }
            }
            return new Instance(new PipelineShape(list), candidates, rtts);
        }
    }

    @Test
    void findsTheShortestPlanEveryAssignmentWouldGiveAndRespectsEveryStage() {
        qt().withExamples(3_000).forAll(longs().all()).checkAssert(seed -> {
            Instance instance = Instance.of(seed);
            Optional<PipelinePlan> plan = PipelinePlanner.plan(instance.shape(), instance.candidates(),
                    instance.rtts());
            Optional<List<IslandId>> reference = reference(instance);

            assertThat(plan.map(PipelinePlannerProperties::islands)).isEqualTo(reference);
            plan.ifPresent(found -> {
                assertThat(found.stages()).hasSameSizeAs(instance.shape().stages());
                assertThat(new HashSet<>(islands(found))).hasSameSizeAs(found.stages());
                for (StagePlacement stage : found.stages()) {
                    PipelineStage wanted = instance.shape().stages().get(stage.index());
                    assertThat(stage.fromLayer()).isEqualTo(wanted.fromLayer());
                    assertThat(candidate(instance, stage.islandId()).memoryMib())
                            .isGreaterThanOrEqualTo(wanted.memoryMib());
                }
                assertThat(found.pathRttMicros()).isEqualTo(cost(instance, islands(found)));
            });

            List<StageCandidate> shuffled = new ArrayList<>(instance.candidates());
            Collections.shuffle(shuffled, new Random(seed + 1));
            assertThat(PipelinePlanner.plan(instance.shape(), shuffled, instance.rtts())).isEqualTo(plan);
        });
    }

    @Test
    void aReplanMovesOnlyTheLeavingIslandsStageAndFindsTheShortestSuchPlan() {
        qt().withExamples(3_000).forAll(longs().all()).checkAssert(seed -> {
            Instance instance = Instance.of(seed);
            Optional<PipelinePlan> plan = PipelinePlanner.plan(instance.shape(), instance.candidates(),
                    instance.rtts());
            if (plan.isEmpty()) {
                return;
            }
            List<IslandId> before = islands(plan.get());
            IslandId leaving = before.get((int) Math.floorMod(seed, (long) before.size()));

            Optional<PipelinePlan> replanned = PipelinePlanner.replan(instance.shape(), plan.get(), leaving,
                    instance.candidates(), instance.rtts());

            Optional<List<IslandId>> reference = reference(instance, assignment -> {
                for (int i = 0; i < assignment.size(); i++) {
                    boolean moved = before.get(i).equals(leaving);
                    if (moved ? assignment.get(i).equals(leaving) : !assignment.get(i).equals(before.get(i))) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(replanned.map(PipelinePlannerProperties::islands)).isEqualTo(reference);
            replanned.ifPresent(found -> assertThat(islands(found)).doesNotContain(leaving));
        });
    }

    @Test
    void placesTheStagesOnTheShortestChainNotOnTheIslandsNearestTheCoordinator() {
        IslandId near = new IslandId("near");
        IslandId alsoNear = new IslandId("also-near");
        IslandId a = new IslandId("a");
        IslandId b = new IslandId("b");
        PipelineShape shape = new PipelineShape(List.of(new PipelineStage(0, 3, 100), new PipelineStage(3, 6, 100)));
        List<StageCandidate> candidates = List.of(new StageCandidate(near, 100, 1_000),
                new StageCandidate(alsoNear, 100, 1_000), new StageCandidate(a, 100, 2_000),
                new StageCandidate(b, 100, 2_000));
        List<IslandRtt> rtts = List.of(new IslandRtt(near, alsoNear, 80_000), new IslandRtt(a, b, 300),
                new IslandRtt(near, a, 50_000), new IslandRtt(near, b, 50_000));

        PipelinePlan plan = PipelinePlanner.plan(shape, candidates, rtts).orElseThrow();

        assertThat(islands(plan)).containsExactly(a, b);
        assertThat(plan.pathRttMicros()).isEqualTo(2_000 + 300 + 2_000);
        assertThat(plan.stages().get(1).hopRttMicros()).isEqualTo(300);
    }

    @Test
    void placesNoStageWhenOneStageFitsNowhere() {
        IslandId small = new IslandId("small");
        IslandId big = new IslandId("big");
        PipelineShape shape = new PipelineShape(List.of(new PipelineStage(0, 3, 4_000),
                new PipelineStage(3, 6, 4_000)));
        List<StageCandidate> candidates = List.of(new StageCandidate(small, 1_000, 100),
                new StageCandidate(big, 8_000, 100));

        assertThat(PipelinePlanner.plan(shape, candidates, List.of(new IslandRtt(small, big, 100)))).isEmpty();
    }

    @Test
    void aShapeIsTwoToEightStagesWhoseLayersFollowFromZero() {
        assertThatThrownBy(() -> new PipelineShape(List.of(new PipelineStage(0, 6, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PipelineShape(List.of(new PipelineStage(0, 2, 1), new PipelineStage(3, 6, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PipelineShape(List.of(new PipelineStage(1, 2, 1), new PipelineStage(2, 6, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<IslandId> islands(PipelinePlan plan) {
        return plan.stages().stream().map(StagePlacement::islandId).toList();
    }

    private static StageCandidate candidate(Instance instance, IslandId island) {
        return instance.candidates().stream().filter(c -> c.islandId().equals(island)).findFirst().orElseThrow();
    }

    private static Optional<List<IslandId>> reference(Instance instance) {
        return reference(instance, assignment -> true);
    }

    private static Optional<List<IslandId>> reference(Instance instance, Predicate<List<IslandId>> allowed) {
        List<List<IslandId>> best = new ArrayList<>();
        long[] bestCost = {Long.MAX_VALUE};
        enumerate(instance, new ArrayList<>(), allowed, best, bestCost);
        return best.isEmpty() ? Optional.empty() : Optional.of(best.get(0));
    }

    private static void enumerate(Instance instance, List<IslandId> chosen, Predicate<List<IslandId>> allowed,
                                  List<List<IslandId>> best, long[] bestCost) {
        int stage = chosen.size();
        if (stage == instance.shape().stages().size()) {
            long cost = cost(instance, chosen);
            if (cost == Long.MAX_VALUE || !allowed.test(chosen)) {
                return;
            }
            if (cost < bestCost[0] || cost == bestCost[0] && lexicographicallyBefore(chosen, best.get(0))) {
                bestCost[0] = cost;
                best.clear();
                best.add(List.copyOf(chosen));
            }
            return;
        }
        for (StageCandidate candidate : instance.candidates()) {
            if (!chosen.contains(candidate.islandId())
                    && candidate.memoryMib() >= instance.shape().stages().get(stage).memoryMib()) {
                chosen.add(candidate.islandId());
                enumerate(instance, chosen, allowed, best, bestCost);
                chosen.remove(chosen.size() - 1);
            }
        }
    }

    /** The path's round trips, or {@code Long.MAX_VALUE} when one of its hops was never measured. */
    private static long cost(Instance instance, List<IslandId> chosen) {
        long first = candidate(instance, chosen.get(0)).rttMicros();
        long last = candidate(instance, chosen.get(chosen.size() - 1)).rttMicros();
        if (first == IslandConditions.RTT_UNKNOWN || last == IslandConditions.RTT_UNKNOWN) {
            return Long.MAX_VALUE;
        }
        long cost = first + last;
        for (int i = 1; i < chosen.size(); i++) {
            Set<IslandId> pair = Set.of(chosen.get(i - 1), chosen.get(i));
            Optional<Long> hop = instance.rtts().stream().filter(r -> Set.of(r.one(), r.other()).equals(pair))
                    .map(IslandRtt::rttMicros).findFirst();
            if (hop.isEmpty()) {
                return Long.MAX_VALUE;
            }
            cost += hop.get();
        }
        return cost;
    }

    private static boolean lexicographicallyBefore(List<IslandId> one, List<IslandId> other) {
        for (int i = 0; i < one.size(); i++) {
            int order = one.get(i).compareTo(other.get(i));
            if (order != 0) {
                return order < 0;
            }
        }
        return false;
    }
}
