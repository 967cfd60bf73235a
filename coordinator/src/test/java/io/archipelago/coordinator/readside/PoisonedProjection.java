package io.archipelago.coordinator.readside;

import io.archipelago.exchange.account.api.AccountOpened;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A read model handler that fails on the opening of one account until it is healed: what a bug in a projection, or
 * a table it cannot write, looks like to the processor. Present only in coordinators started with
 * {@code archipelago.test.poisoned-account}.
 */
@Component
@ConditionalOnProperty("archipelago.test.poisoned-account")
@ProcessingGroup("projections")
final class PoisonedProjection {

    static final AtomicBoolean HEALED = new AtomicBoolean();

    private final String poisoned;

    PoisonedProjection(@Value("${archipelago.test.poisoned-account}") String poisoned) {
        this.poisoned = poisoned;
    }

    @EventHandler
    void on(AccountOpened event) {
        if (event.accountId().value().equals(poisoned) && !HEALED.get()) {
            throw new IllegalStateException("cannot project the opening of " + poisoned);
        }
    }
}
