package io.archipelago.projections.rollout;

import io.archipelago.exchange.rollout.api.RolloutDecided;
import io.archipelago.exchange.rollout.api.RolloutFeedbackRecorded;
import io.archipelago.exchange.rollout.api.RolloutOutcomeRecorded;
import io.archipelago.exchange.rollout.api.RolloutStarted;
import io.archipelago.exchange.rollout.api.VariantWeight;
import io.archipelago.projections.ProjectionsConfiguration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import org.axonframework.config.ProcessingGroup;
import org.jspecify.annotations.Nullable;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code rollout_view}, {@code rollout_variant_view} and {@code rollout_decision_view}. */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class RolloutProjection {

    private final JdbcClient jdbc;

    RolloutProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE rollout_view, rollout_variant_view, rollout_decision_view").update();
    }

    @EventHandler
    void on(RolloutStarted event) {
        jdbc.sql("""
                INSERT INTO rollout_view (rollout_id, metric, status, winner, alpha, rollback_alpha, tau,
                                          minimum_per_variant, started_at, updated_at)
                VALUES (:rollout, :metric, 'RUNNING', NULL, :alpha, :rollbackAlpha, :tau, :minimum, :at, :at)
                ON CONFLICT (rollout_id) DO NOTHING""")
                .param("rollout", event.rollout().value()).param("metric", event.metric().name())
                .param("alpha", event.alpha()).param("rollbackAlpha", event.rollbackAlpha())
                .param("tau", event.tau()).param("minimum", event.minimumPerVariant())
                .param("at", event.at().atOffset(ZoneOffset.UTC)).update();
        List<VariantWeight> variants = event.variants();
        for (int i = 0; i < variants.size(); i++) {
            jdbc.sql("""
                    INSERT INTO rollout_variant_view (rollout_id, position, cargo, version, weight, jobs, failures,
                                                      ttft_micros_sum, ttft_count, total_micros_sum, feedback_count,
                                                      feedback_sum)
                    VALUES (:rollout, :position, :cargo, :version, :weight, 0, 0, 0, 0, 0, 0, 0)
                    ON CONFLICT (rollout_id, cargo, version) DO NOTHING""")
                    .param("rollout", event.rollout().value()).param("position", i)
                    .param("cargo", variants.get(i).cargo().value()).param("version", key(variants.get(i).version()))
                    .param("weight", variants.get(i).weight())
                    .update();
        }
    }

    @EventHandler
    void on(RolloutOutcomeRecorded event) {
        jdbc.sql("""
                UPDATE rollout_variant_view SET jobs = jobs + 1,
                    failures = failures + CASE WHEN :succeeded THEN 0 ELSE 1 END,
                    ttft_micros_sum = ttft_micros_sum + GREATEST(:ttft, 0),
                    ttft_count = ttft_count + CASE WHEN :ttft >= 0 THEN 1 ELSE 0 END,
                    total_micros_sum = total_micros_sum + GREATEST(:total, 0)
                WHERE rollout_id = :rollout AND cargo = :cargo AND version = :version""")
                .param("succeeded", event.succeeded()).param("ttft", event.ttftMicros())
                .param("total", event.totalMicros()).param("rollout", event.rollout().value())
                .param("cargo", event.cargo().value()).param("version", key(event.version())).update();
        touch(event.rollout().value(), event.at());
    }

    @EventHandler
    void on(RolloutFeedbackRecorded event) {
        jdbc.sql("""
                UPDATE rollout_variant_view SET feedback_count = feedback_count + 1,
                    feedback_sum = feedback_sum + :score
                WHERE rollout_id = :rollout AND cargo = :cargo AND version = :version""")
                .param("score", event.score()).param("rollout", event.rollout().value())
                .param("cargo", event.cargo().value()).param("version", key(event.version())).update();
        touch(event.rollout().value(), event.at());
    }

    @EventHandler
    void on(RolloutDecided event) {
        String rollout = event.rollout().value();
        jdbc.sql("""
                INSERT INTO rollout_decision_view (rollout_id, verdict, variant, version, difference, variance,
                                                   likelihood_ratio, p_value, reason, decided_at)
                VALUES (:rollout, :verdict, :variant, :version, :difference, :variance, :ratio, :pValue, :reason,
                        :at)
                ON CONFLICT (rollout_id, variant, version, verdict) DO NOTHING""")
                .param("rollout", rollout).param("verdict", event.verdict())
                .param("variant", event.variant().value()).param("version", key(event.version()))
                .param("difference", event.difference())
                .param("variance", event.variance()).param("ratio", finite(event.likelihoodRatio()))
                .param("pValue", event.pValue()).param("reason", event.reason())
                .param("at", event.at().atOffset(ZoneOffset.UTC)).update();
        for (VariantWeight weight : event.weights()) {
            jdbc.sql("""
                    UPDATE rollout_variant_view SET weight = :weight
                    WHERE rollout_id = :rollout AND cargo = :cargo AND version = :version""")
                    .param("weight", weight.weight()).param("rollout", rollout)
                    .param("cargo", weight.cargo().value()).param("version", key(weight.version())).update();
        }
        if (event.ended()) {
            boolean promoted = event.verdict().equals("PROMOTE");
            VariantWeight winner = promoted ? event.weights().stream()
                    .filter(weight -> weight.cargo().equals(event.variant())
                            && Objects.equals(weight.version(), event.version()))
                    .findFirst().orElse(event.weights().get(0)) : event.weights().get(0);
            jdbc.sql("""
                    UPDATE rollout_view SET status = :status, winner = :winner, winner_version = :winnerVersion
                    WHERE rollout_id = :rollout""")
                    .param("status", promoted ? "PROMOTED" : "ROLLED_BACK")
                    .param("winner", winner.cargo().value()).param("winnerVersion", winner.version())
                    .param("rollout", rollout).update();
        }
        touch(rollout, event.at());
    }

    /** A variant's version as the views key it: '' for a variant that is a whole Cargo type. */
    private static String key(@Nullable String version) {
        return version == null ? "" : version;
    }

    private void touch(String rollout, Instant at) {
        jdbc.sql("UPDATE rollout_view SET updated_at = GREATEST(updated_at, :at) WHERE rollout_id = :rollout")
                .param("at", at.atOffset(ZoneOffset.UTC)).param("rollout", rollout).update();
    }

    /** PostgreSQL's double precision takes infinity, JSON does not: the view keeps the largest finite double. */
    private static double finite(double value) {
        return Double.isInfinite(value) ? Double.MAX_VALUE : value;
    }
}
