package io.archipelago.coordinator.cargo;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.publisher.api.RecordYankForCause;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries each yank the platform makes (a yank for cause: a licence violation, malware, a legal order) to the
 * yanked version's publisher, named by the event, whose tier rules then move it if they say so (a Certified
 * publisher back to Community). A publisher yanking its own version is no cause. The command commits with this
 * processor's token.
 */
@ProcessingGroup(YanksForCause.PROCESSING_GROUP)
final class YanksForCause {

    static final String PROCESSING_GROUP = "yanks-for-cause";

    private static final Logger LOG = LoggerFactory.getLogger(YanksForCause.class);

    private final CommandGateway commands;

    YanksForCause(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(CargoVersionYanked event) {
        if (!AccountId.PLATFORM.equals(event.by())) {
            return;
        }
        AccountId publisher = event.publisher();
        if (publisher == null) {
            LOG.warn("yank for cause of {} {} names no publisher (stored before yanks named it): no tier rule"
                    + " applied", event.cargo(), event.version());
            return;
        }
        commands.sendAndWait(new RecordYankForCause(publisher, event.cargo(), event.version(),
                event.reason(), event.at()));
    }
}
