package io.archipelago.coordinator.openai;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.rollout.api.RecordRolloutOutcome;
import io.archipelago.exchange.rollout.api.RolloutId;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.projections.rollout.RolloutView;
import io.archipelago.projections.rollout.RolloutViews;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a request for a model name under rollout to one of its variants, drawn by weight from the hash of the job's
 * id (so a retry of the same job goes to the same variant), and tells the rollout how the job went as its consumer
 * saw it: completed or failed, time to first token, total time. A name that is a Cargo type is that Cargo type,
 * unless a rollout across its versions runs: then the drawn variant pins the job's version; once that rollout ended
 * the market runs the version it selected. A rollout across Cargo types that ended sends everything to the variant
 * it settled on.
 */
@Component
final class RolloutRouter {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    private final MarketViews markets;
    private final RolloutViews rollouts;
    private final CommandGateway commands;
    private final Clock clock;

    RolloutRouter(MarketViews markets, RolloutViews rollouts, CommandGateway commands, Clock clock) {
        this.markets = markets;
        this.rollouts = rollouts;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * Where a request for {@code model} runs: the Cargo type, the version its job is pinned to (null: the one the
     * market picks), and the rollout it is part of, if any.
     */
    record Route(String cargo, @Nullable String version, @Nullable String rollout) {
    }

    /** The Cargo type (and version) job {@code jobId} for {@code model} runs on. */
    Route route(String model, String jobId) {
        Route plain = new Route(model, null, null);
        if (!RolloutId.wellFormed(model)) {
            return plain;
        }
        boolean cargoType = markets.find(model).isPresent();
        if (cargoType && !rollouts.isRunning(model)) {
            return plain;
        }
        Optional<RolloutView> rollout = rollouts.find(model);
        if (rollout.isEmpty()) {
            return plain;
        }
        List<RolloutView.Variant> variants = rollout.get().variants();
        if (cargoType && variants.stream().anyMatch(variant -> variant.version() == null)) {
            return plain;
        }
        return drawn(model, variants, hash(jobId));
    }

    /** The variant a job whose id hashes to {@code hash} goes to, by weight. */
    private static Route drawn(String rollout, List<RolloutView.Variant> variants, long hash) {
        long total = variants.stream().mapToLong(RolloutView.Variant::weight).sum();
        RolloutView.Variant chosen = variants.get(variants.size() - 1);
        if (total == 0) {
            chosen = variants.get(0);
        } else {
            long draw = Math.floorMod(hash, total);
            for (RolloutView.Variant variant : variants) {
                draw -= variant.weight();
                if (draw < 0) {
                    chosen = variant;
                    break;
                }
            }
        }
        return new Route(chosen.cargo(), chosen.version(), rollout);
    }

    /**
     * Reports job {@code jobId} to its rollout once it ended, unless its client left first (a job cut short by its
     * consumer says nothing of the variant).
     */
    void observe(Route route, String jobId, CompletionRelay relay) {
        String rollout = route.rollout();
        if (rollout == null) {
            return;
        }
        long placed = System.nanoTime();
        AtomicLong firstToken = new AtomicLong(-1);
        relay.started().thenRun(() -> firstToken.set((System.nanoTime() - placed) / 1_000));
        relay.finished().whenComplete((units, failure) -> {
            if (!relay.present()) {
                return;
            }
            long total = (System.nanoTime() - placed) / 1_000;
            commands.send(new RecordRolloutOutcome(new RolloutId(rollout), new JobId(jobId),
                    new CargoType(route.cargo()), route.version(), failure == null, firstToken.get(), total,
                    clock.instant()))
                    .whenComplete((ignored, refused) -> {
                        if (refused != null) {
                            LOG.warn("job {} was not reported to rollout {}: {}", jobId, rollout,
                                    refused.getMessage());
                        }
                    });
        });
    }

    private static long hash(String jobId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jobId.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }
}
