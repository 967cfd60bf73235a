package io.archipelago.command.rollout;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.rollout.api.RecordRolloutFeedback;
import io.archipelago.exchange.rollout.api.RolloutId;
import io.archipelago.exchange.rollout.api.RolloutMetric;
import io.archipelago.exchange.rollout.api.StartRollout;
import io.archipelago.exchange.rollout.api.VariantWeight;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts a rollout (the operator's: {@code POST /rollouts}) and takes a consumer's feedback on a job the rollout
 * served it ({@code POST /rollouts/{rollout}/jobs/{jobId}/feedback}, the job's consumer alone).
 */
@RestController
final class RolloutController {

    /** Defaults of a rollout that does not say: 5% each way, differences of five points, 100 jobs per variant. */
    private static final double ALPHA = 0.05;
    private static final double TAU = 0.05;
    private static final long MINIMUM = 100;

    private final Commands commands;
    private final Clock clock;

    RolloutController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping("/rollouts")
    ResponseEntity<Started> start(@Valid @RequestBody Start request) {
        RolloutId rollout = new RolloutId(request.model());
        List<VariantWeight> variants = request.variants().stream().map(variant -> variant(request, variant)).toList();
        commands.send(new StartRollout(rollout, variants,
                request.metric() == null ? RolloutMetric.SUCCESS : request.metric(),
                request.alpha() == null ? ALPHA : request.alpha(),
                request.rollbackAlpha() == null ? ALPHA : request.rollbackAlpha(),
                request.tau() == null ? TAU : request.tau(),
                request.minimumPerVariant() == null ? MINIMUM : request.minimumPerVariant(), clock.instant()));
        return ResponseEntity.created(URI.create("/rollouts/" + rollout)).body(new Started(rollout.value()));
    }

    /** A variant naming a Cargo type ({@code model}) or a version of the Cargo type the rollout's name is. */
    private static VariantWeight variant(Start request, Variant variant) {
        if ((variant.model() == null) == (variant.version() == null)) {
            throw new IllegalArgumentException("a variant names either a Cargo type (model) or a version of "
                    + request.model() + " (version)");
        }
        return variant.version() != null
                ? new VariantWeight(new CargoType(request.model()), variant.weight(), variant.version())
                : new VariantWeight(new CargoType(variant.model()), variant.weight());
    }

    @PostMapping("/rollouts/{rollout}/jobs/{jobId}/feedback")
    ResponseEntity<Void> feedback(@PathVariable String rollout, @PathVariable String jobId,
                                  @Valid @RequestBody Feedback request) {
        commands.send(new RecordRolloutFeedback(new RolloutId(rollout), new JobId(jobId), request.score(),
                clock.instant()));
        return ResponseEntity.noContent().build();
    }

    /**
     * A rollout of the model name {@code model} across {@code variants} (the first the incumbent), deciding on
     * {@code metric} ({@code SUCCESS} unless said) at {@code alpha}, rolling back at {@code rollbackAlpha}, tuned to
     * differences of {@code tau}, after {@code minimumPerVariant} jobs per variant.
     */
    @RejectUnknownFields
    record Start(@NotBlank String model, @NotEmpty List<@Valid @NotNull Variant> variants,
                 @Nullable RolloutMetric metric, @Nullable Double alpha, @Nullable Double rollbackAlpha,
                 @Nullable Double tau, @Nullable Long minimumPerVariant) {
    }

    /**
     * A variant and its weight (0 to 1,000): the Cargo type serving it ({@code model}), or, in a rollout across the
     * versions of the Cargo type the rollout's name is, the {@code version} its jobs are pinned to.
     */
    @RejectUnknownFields
    record Variant(@Nullable String model, @Nullable String version, @NotNull Integer weight) {
    }

    /** A score of the job's answer from 0 (useless) to 1 (right). */
    @RejectUnknownFields
    record Feedback(@NotNull Double score) {
    }

    record Started(String model) {
    }
}
