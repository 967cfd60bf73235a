package io.archipelago.exchange.rollout;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.rollout.api.RecordRolloutFeedback;
import io.archipelago.exchange.rollout.api.RecordRolloutOutcome;
import io.archipelago.exchange.rollout.api.RolloutDecided;
import io.archipelago.exchange.rollout.api.RolloutFeedbackRecorded;
import io.archipelago.exchange.rollout.api.RolloutId;
import io.archipelago.exchange.rollout.api.RolloutMetric;
import io.archipelago.exchange.rollout.api.RolloutOutcomeRecorded;
import io.archipelago.exchange.rollout.api.RolloutStarted;
import io.archipelago.exchange.rollout.api.StartRollout;
import io.archipelago.exchange.rollout.api.VariantWeight;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * One rollout: a model name's traffic split by weight across Cargo types, or across the versions of the one Cargo type
 * the name is, the first variant the incumbent. Each job's outcome
 * (and, when the rollout decides on quality, each feedback score) is tallied per variant and the
 * {@link RolloutPolicy} asked after every one; a promotion ends the rollout with the winner taking every request, a
 * rollback takes a challenger's traffic away. Reports of a job already counted, or arriving after the end, change
 * nothing.
 */
public class Rollout {

    @AggregateIdentifier
    private RolloutId rolloutId;
    private RolloutMetric metric;
    private RolloutPolicy policy;
    private List<VariantWeight> weights;
    private List<RolloutPolicy.Variant> variants;
    private Map<JobId, Integer> jobs;
    private Set<JobId> scored;
    private boolean ended;

    protected Rollout() {
        // for Axon
    }

    @CommandHandler
    public Rollout(StartRollout command) {
        List<VariantWeight> variants = command.variants();
        if (variants.size() < 2 || variants.size() > 8) {
            throw new IllegalArgumentException("a rollout has 2 to 8 variants, got " + variants.size());
        }
        checkForm(command.rollout(), variants);
        if (variants.get(0).weight() == 0 || variants.stream().skip(1).allMatch(variant -> variant.weight() == 0)) {
            throw new IllegalArgumentException("the incumbent and at least one challenger need a weight above 0");
        }
        new RolloutPolicy(command.alpha(), command.rollbackAlpha(), tauSquared(command.tau()),
                command.minimumPerVariant());
        apply(new RolloutStarted(command.rollout(), variants, command.metric(), command.alpha(),
                command.rollbackAlpha(), command.tau(), command.minimumPerVariant(), command.at()));
    }

    /**
     * Either every variant is a version of the Cargo type the model name is (distinct versions), or every variant is
     * a whole Cargo type (distinct, and none the model name itself).
     */
    private static void checkForm(RolloutId rollout, List<VariantWeight> variants) {
        long pinned = variants.stream().filter(variant -> variant.version() != null).count();
        if (pinned == variants.size()) {
            if (variants.stream().anyMatch(variant -> !variant.cargo().value().equals(rollout.value()))) {
                throw new IllegalArgumentException("a rollout across versions splits the Cargo type its model name "
                        + "is: every variant is a version of " + rollout);
            }
            if (variants.stream().map(VariantWeight::version).distinct().count() != variants.size()) {
                throw new IllegalArgumentException("a rollout's variants are distinct versions");
            }
            return;
        }
        if (pinned > 0) {
            throw new IllegalArgumentException("a rollout's variants are all versions of one Cargo type or all "
                    + "Cargo types, not both");
        }
        if (variants.stream().map(VariantWeight::cargo).distinct().count() != variants.size()) {
            throw new IllegalArgumentException("a rollout's variants are distinct Cargo types");
        }
        if (variants.stream().anyMatch(variant -> variant.cargo().value().equals(rollout.value()))) {
            throw new IllegalArgumentException("a rollout's model name is not one of its variants");
        }
    }

    @CommandHandler
    void handle(RecordRolloutOutcome command) {
        int index = indexOf(command.cargo(), command.version());
        if (ended || jobs.containsKey(command.job())) {
            return;
        }
        VariantWeight variant = weights.get(index);
        apply(new RolloutOutcomeRecorded(rolloutId, command.job(), variant.cargo(), command.succeeded(),
                command.ttftMicros(), command.totalMicros(), command.at(), variant.version()));
        if (metric == RolloutMetric.SUCCESS || !command.succeeded()) {
            decide(command.at());
        }
    }

    @CommandHandler
    void handle(RecordRolloutFeedback command) {
        if (!(command.score() >= 0 && command.score() <= 1)) {
            throw new IllegalArgumentException("a score is from 0 to 1, got " + command.score());
        }
        Integer index = jobs.get(command.job());
        if (index == null) {
            throw new IllegalArgumentException("job " + command.job() + " was not served by rollout " + rolloutId);
        }
        if (ended || scored.contains(command.job())) {
            return;
        }
        VariantWeight variant = weights.get(index);
        apply(new RolloutFeedbackRecorded(rolloutId, command.job(), variant.cargo(), command.score(), command.at(),
                variant.version()));
        if (metric == RolloutMetric.QUALITY) {
            decide(command.at());
        }
    }

    private void decide(Instant at) {
        List<RolloutPolicy.Variant> active = new ArrayList<>();
        for (int i = 1; i < variants.size(); i++) {
            if (weights.get(i).weight() > 0) {
                active.add(variants.get(i));
            }
        }
        RolloutPolicy.Decision decision = policy.decide(variants.get(0), active);
        if (decision.verdict() == RolloutPolicy.Verdict.CONTINUE || decision.variant() == null) {
            return;
        }
        VariantWeight chosen = weights.get(indexOf(decision.variant()));
        List<VariantWeight> next = new ArrayList<>();
        boolean promote = decision.verdict() == RolloutPolicy.Verdict.PROMOTE;
        for (VariantWeight weight : weights) {
            boolean it = weight.label().equals(chosen.label());
            next.add(weight.withWeight(promote ? (it ? 1_000 : 0) : (it ? 0 : weight.weight())));
        }
        boolean over = promote || next.stream().skip(1).allMatch(weight -> weight.weight() == 0);
        List<Long> observations = variants.stream().map(variant -> variant.errors().count()).toList();
        apply(new RolloutDecided(rolloutId, decision.verdict().name(), chosen.cargo(),
                decision.evidence().difference(), decision.evidence().variance(),
                decision.evidence().likelihoodRatio(), decision.evidence().pValue(), decision.reason(), observations,
                next, over, at, chosen.version()));
    }

    /** The variant of {@code cargo}, at {@code version} when the rollout splits versions. */
    private int indexOf(CargoType cargo, @Nullable String version) {
        for (int i = 0; i < weights.size(); i++) {
            VariantWeight weight = weights.get(i);
            if (weight.cargo().equals(cargo) && Objects.equals(weight.version(), version)) {
                return i;
            }
        }
        throw new IllegalArgumentException(cargo + (version == null ? "" : " version " + version)
                + " is not a variant of rollout " + rolloutId);
    }

    private int indexOf(String label) {
        for (int i = 0; i < weights.size(); i++) {
            if (weights.get(i).label().equals(label)) {
                return i;
            }
        }
        throw new IllegalStateException(label + " is not a variant of rollout " + rolloutId);
    }

    /** The policy's mixing variance from the rollout's {@code tau}, the size of differences worth finding. */
    static double tauSquared(double tau) {
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau is in (0, 1], got " + tau);
        }
        return tau * tau;
    }

    @EventSourcingHandler
    void on(RolloutStarted event) {
        rolloutId = event.rollout();
        metric = event.metric();
        policy = new RolloutPolicy(event.alpha(), event.rollbackAlpha(), tauSquared(event.tau()),
                event.minimumPerVariant());
        weights = new ArrayList<>(event.variants());
        variants = new ArrayList<>();
        event.variants().forEach(variant -> variants.add(RolloutPolicy.Variant.fresh(variant.label())));
        jobs = new HashMap<>();
        scored = new HashSet<>();
    }

    @EventSourcingHandler
    void on(RolloutOutcomeRecorded event) {
        int index = indexOf(event.cargo(), event.version());
        jobs.put(event.job(), index);
        RolloutPolicy.Variant variant = variants.get(index);
        variants.set(index, metric == RolloutMetric.SUCCESS
                ? variant.observe(event.succeeded() ? 1 : 0, !event.succeeded())
                : variant.withError(!event.succeeded()));
        refreshEvidence();
    }

    @EventSourcingHandler
    void on(RolloutFeedbackRecorded event) {
        scored.add(event.job());
        if (metric == RolloutMetric.QUALITY) {
            int index = indexOf(event.cargo(), event.version());
            variants.set(index, variants.get(index).withPrimary(event.score()));
            refreshEvidence();
        }
    }

    @EventSourcingHandler
    void on(RolloutDecided event) {
        weights = new ArrayList<>(event.weights());
        ended = event.ended();
    }

    private void refreshEvidence() {
        List<RolloutPolicy.Variant> updated = policy.update(variants.get(0), variants.subList(1, variants.size()));
        for (int i = 0; i < updated.size(); i++) {
            variants.set(i + 1, updated.get(i));
        }
    }
}
