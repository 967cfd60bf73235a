package io.archipelago.coordinator.axon;

import io.archipelago.access.Registry;
import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.Island;
import java.util.Optional;
import java.util.function.Supplier;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** {@link Registry} over the Account and Island repositories, each read in a unit of work of its own. */
@Component
final class RepositoryRegistry implements Registry {

    private final Repository<Account> accounts;
    private final Repository<Island> islands;

    RepositoryRegistry(Repository<Account> accounts, Repository<Island> islands) {
        this.accounts = accounts;
        this.islands = islands;
    }

    @Override
    public boolean accountOpen(AccountId account) {
        return load(() -> accounts.load(account.value()).invoke(opened -> true)).isPresent();
    }

    @Override
    public Optional<String> islandOwner(String islandId) {
        return load(() -> islands.load(islandId).invoke(island -> island.owner().value()));
    }

    /** What {@code read} finds of an aggregate in a unit of work of its own; empty when there is no such aggregate. */
    private static <T> Optional<T> load(Supplier<T> read) {
        ResultMessage<T> result = DefaultUnitOfWork.startAndGet(null).executeWithResult(read::get);
        if (result.isExceptional()) {
            if (result.exceptionResult() instanceof AggregateNotFoundException) {
                return Optional.empty();
            }
            throw new IllegalStateException("reading an aggregate failed", result.exceptionResult());
        }
        return Optional.ofNullable(result.getPayload());
    }
}
