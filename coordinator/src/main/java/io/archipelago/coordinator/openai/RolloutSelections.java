package io.archipelago.coordinator.openai;

import io.archipelago.exchange.market.api.SelectCargoVersion;
import io.archipelago.exchange.rollout.api.RolloutDecided;
import java.util.Objects;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a rollout's decision on a version to its Cargo type's market: a promotion selects the winning version, a
 * rollback keeps the incumbent, each a {@code CargoVersionSelected} on the market, so jobs that no rollout pins run
 * the version the rollout chose. The market ignores a decision older than its latest publication and a selection it
 * already holds, so an event handled again changes nothing.
 */
@ProcessingGroup(RolloutSelections.PROCESSING_GROUP)
final class RolloutSelections {

    static final String PROCESSING_GROUP = "rollout-selections";

    private static final Logger LOG = LoggerFactory.getLogger(RolloutSelections.class);

    private final CommandGateway commands;

    RolloutSelections(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(RolloutDecided event) {
        if (!event.onVersion()) {
            return;
        }
        boolean promoted = event.verdict().equals("PROMOTE");
        String version = promoted ? event.version() : event.weights().get(0).version();
        String reason = promoted
                ? "rollout " + event.rollout() + " promoted " + event.version() + ": " + event.reason()
                : "rollout " + event.rollout() + " rolled back " + event.version() + ", keeping " + version + ": "
                        + event.reason();
        LOG.info("{}", reason);
        commands.sendAndWait(new SelectCargoVersion(event.variant(), Objects.requireNonNull(version),
                event.rollout().value(), reason, event.at()));
    }
}
