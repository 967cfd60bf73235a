package io.archipelago.payments;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.island.IslandViews;
import org.springframework.stereotype.Component;

/**
 * Whether an account or Island exists, as the read side knows it (payments reads projections, it never loads
 * aggregates), so that no Stripe session is ever started for something the exchange does not know. One made a
 * moment ago is known once its event is projected (the read side's lag, milliseconds); until then it is 404 and the
 * caller may ask again. No request thread waits for the read side.
 */
@Component
final class ExchangeDirectory {

    private final AccountBalances accounts;
    private final IslandViews islands;

    ExchangeDirectory(AccountBalances accounts, IslandViews islands) {
        this.accounts = accounts;
        this.islands = islands;
    }

    void requireAccount(AccountId account) {
        if (accounts.find(account.value()).isEmpty()) {
            throw new UnknownTarget("account " + account + " is not open");
        }
    }

    void requireIsland(IslandId island) {
        if (islands.find(island.value()).isEmpty()) {
            throw new UnknownTarget("island " + island + " is not registered");
        }
    }
}
