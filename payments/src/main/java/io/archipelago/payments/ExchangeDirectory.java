package io.archipelago.payments;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.api.IslandId;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Whether an account or Island exists, asked of the exchange's own repositories (whatever their event store keys
 * look like), so that no Stripe session is ever started for something the exchange does not know.
 */
@Component
final class ExchangeDirectory {

    private final ObjectProvider<Repository<Account>> accounts;
    private final ObjectProvider<Repository<Island>> islands;

    ExchangeDirectory(ObjectProvider<Repository<Account>> accounts, ObjectProvider<Repository<Island>> islands) {
        this.accounts = accounts;
        this.islands = islands;
    }

    void requireAccount(AccountId account) {
        if (!exists(accounts.getIfAvailable(), account.value())) {
            throw new UnknownTarget("account " + account + " is not open");
        }
    }

    void requireIsland(IslandId island) {
        if (!exists(islands.getIfAvailable(), island.value())) {
            throw new UnknownTarget("island " + island + " is not registered");
        }
    }

    private static boolean exists(@Nullable Repository<?> repository, String id) {
        if (repository == null) {
            return true;
        }
        var unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            repository.load(id);
            return true;
        } catch (AggregateNotFoundException unknown) {
            return false;
        } finally {
            unitOfWork.rollback();
        }
    }
}
