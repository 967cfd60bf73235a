package io.archipelago.coordinator.cargo;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.publisher.api.RecordYankForCause;
import io.archipelago.projections.registry.RegistryViews;
import io.archipelago.projections.registry.VersionView;
import java.time.Duration;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries each yank the platform makes (a yank for cause: a licence violation, malware, a legal order) to the
 * yanked version's publisher, whose tier rules then move it if they say so (a Certified publisher back to Community).
 * A publisher yanking its own version is no cause. The version's publisher is read from the registry, which
 * recorded the version at its publication, long before any yank; the command commits with this processor's token.
 */
@ProcessingGroup(YanksForCause.PROCESSING_GROUP)
final class YanksForCause {

    static final String PROCESSING_GROUP = "yanks-for-cause";

    private static final Logger LOG = LoggerFactory.getLogger(YanksForCause.class);
    private static final int LOOKS = 50;
    private static final Duration BETWEEN_LOOKS = Duration.ofMillis(100);

    private final CommandGateway commands;
    private final RegistryViews registry;

    YanksForCause(CommandGateway commands, RegistryViews registry) {
        this.commands = commands;
        this.registry = registry;
    }

    @EventHandler
    void on(CargoVersionYanked event) throws InterruptedException {
        if (!AccountId.PLATFORM.equals(event.by())) {
            return;
        }
        Optional<VersionView> version = registry.find(event.cargo().value(), event.version());
        // the registry's own processor may not have reached a version published a moment ago
        for (int look = 1; version.isEmpty() && look < LOOKS; look++) {
            Thread.sleep(BETWEEN_LOOKS.toMillis());
            version = registry.find(event.cargo().value(), event.version());
        }
        if (version.isEmpty()) {
            LOG.warn("yank for cause of {} {}: the registry does not show the version, no tier rule applied",
                    event.cargo(), event.version());
            return;
        }
        commands.sendAndWait(new RecordYankForCause(new AccountId(version.get().publisher()), event.cargo(),
                event.version(), event.reason(), event.at()));
    }
}
