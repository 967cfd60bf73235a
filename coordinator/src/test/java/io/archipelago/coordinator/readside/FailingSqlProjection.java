package io.archipelago.coordinator.readside;

import io.archipelago.exchange.account.api.AccountOpened;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A read model handler whose SQL fails on the opening of one account: what a constraint, a type or a missing column
 * looks like to the processor, a statement that aborts PostgreSQL's transaction. Present only in coordinators
 * started with {@code archipelago.test.sql-poisoned-account}.
 */
@Component
@ConditionalOnProperty("archipelago.test.sql-poisoned-account")
@ProcessingGroup("projections")
final class FailingSqlProjection {

    private final JdbcClient jdbc;
    private final String poisoned;

    FailingSqlProjection(JdbcClient jdbc, @Value("${archipelago.test.sql-poisoned-account}") String poisoned) {
        this.jdbc = jdbc;
        this.poisoned = poisoned;
    }

    @EventHandler
    void on(AccountOpened event) {
        if (event.accountId().value().equals(poisoned)) {
            jdbc.sql("SELECT 1 / 0").query(Integer.class).single();
        }
    }
}
