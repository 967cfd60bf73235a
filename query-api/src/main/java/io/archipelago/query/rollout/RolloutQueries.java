package io.archipelago.query.rollout;

import io.archipelago.exchange.rollout.api.RolloutId;
import io.archipelago.projections.rollout.RolloutView;
import io.archipelago.projections.rollout.RolloutViews;
import io.archipelago.query.web.NotFound;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Rollouts: every one, or one with its variants' tallies and its decisions with their statistics. */
@RestController
final class RolloutQueries {

    private final RolloutViews rollouts;

    RolloutQueries(RolloutViews rollouts) {
        this.rollouts = rollouts;
    }

    @GetMapping("/rollouts")
    List<RolloutView> all() {
        return rollouts.all();
    }

    @GetMapping("/rollouts/{rollout}")
    RolloutView rollout(@PathVariable String rollout) {
        if (!RolloutId.wellFormed(rollout)) {
            throw new NotFound("rollout " + rollout);
        }
        return rollouts.find(rollout).orElseThrow(() -> new NotFound("rollout " + rollout));
    }
}
