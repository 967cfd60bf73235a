package io.archipelago.exchange.account;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.Accounts;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.Reservation;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.jspecify.annotations.Nullable;

/** {@link Accounts} over the Account aggregates, loaded in the caller's unit of work. */
public final class RepositoryAccounts implements Accounts {

    private final Supplier<Repository<Account>> accounts;

    public RepositoryAccounts(Supplier<Repository<Account>> accounts) {
        this.accounts = accounts;
    }

    @Override
    public Optional<Country> homeOf(AccountId accountId) {
        try {
            return accounts.get().load(accountId.value()).invoke(Account::home);
        } catch (AggregateNotFoundException unknown) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<BidPreferences> preferencesOf(AccountId accountId) {
        try {
            return accounts.get().load(accountId.value()).invoke(Account::bidding);
        } catch (AggregateNotFoundException unknown) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<MicroCredits> availableOf(AccountId accountId) {
        try {
            return accounts.get().load(accountId.value()).invoke(Account::spendable);
        } catch (AggregateNotFoundException unknown) {
            return Optional.empty();
        }
    }

    @Override
    public Reservation reserve(AccountId accountId, JobId jobId, MicroCredits amount, Instant at,
                               @Nullable String hold) {
        try {
            return accounts.get().load(accountId.value()).invoke(account -> account.reserve(jobId, amount, at, hold));
        } catch (AggregateNotFoundException unknown) {
            return Reservation.UNKNOWN_ACCOUNT;
        }
    }

    @Override
    public MicroCredits heldOf(AccountId accountId, String hold) {
        try {
            return accounts.get().load(accountId.value()).invoke(account -> account.held(hold))
                    .orElse(MicroCredits.ZERO);
        } catch (AggregateNotFoundException unknown) {
            return MicroCredits.ZERO;
        }
    }

    @Override
    public Reservation hold(AccountId accountId, String hold, MicroCredits amount, Instant at) {
        try {
            return accounts.get().load(accountId.value()).invoke(account -> account.hold(hold, amount, at));
        } catch (AggregateNotFoundException unknown) {
            return Reservation.UNKNOWN_ACCOUNT;
        }
    }

    @Override
    public void releaseHold(AccountId accountId, String hold, String reason, Instant at) {
        try {
            accounts.get().load(accountId.value()).execute(account -> account.releaseHold(hold, reason, at));
        } catch (AggregateNotFoundException unknown) {
            // no account, no hold
        }
    }

    @Override
    public void settle(AccountId accountId, JobId jobId, MicroCredits charged, Instant at) {
        accounts.get().load(accountId.value()).execute(account -> account.settle(jobId, charged, at));
    }

    @Override
    public void release(AccountId accountId, JobId jobId, String reason, Instant at) {
        accounts.get().load(accountId.value()).execute(account -> account.release(jobId, reason, at));
    }

    @Override
    public void credit(AccountId accountId, JobId jobId, EarningsKind kind, MicroCredits amount, Instant at) {
        Repository<Account> repository = accounts.get();
        try {
            repository.load(accountId.value()).execute(account -> account.credit(jobId, kind, amount, at));
        } catch (AggregateNotFoundException firstEarnings) {
            try {
                repository.newInstance(() -> Account.openForEarnings(accountId, at))
                        .execute(account -> account.credit(jobId, kind, amount, at));
            } catch (Exception creation) {
                throw new IllegalStateException("could not open earnings account " + accountId, creation);
            }
        }
    }
}
