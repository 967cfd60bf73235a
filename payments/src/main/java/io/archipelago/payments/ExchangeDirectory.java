package io.archipelago.payments;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.island.IslandViews;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Whether an account or Island exists, as the read side knows it (payments reads projections, it never loads
 * aggregates), so that no Stripe session is ever started for something the exchange does not know. One made a
 * moment ago is known once its event is projected: a lookup that finds nothing waits up to {@link #READ_SIDE_LAG}
 * for it before it answers that there is none.
 */
@Component
final class ExchangeDirectory {

    /** How long a lookup waits for the read side to catch up with a registration it has not projected yet. */
    static final Duration READ_SIDE_LAG = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 50;

    private final AccountBalances accounts;
    private final IslandViews islands;

    ExchangeDirectory(AccountBalances accounts, IslandViews islands) {
        this.accounts = accounts;
        this.islands = islands;
    }

    void requireAccount(AccountId account) {
        if (!eventually(() -> accounts.find(account.value()).isPresent())) {
            throw new UnknownTarget("account " + account + " is not open");
        }
    }

    void requireIsland(IslandId island) {
        if (!eventually(() -> islands.find(island.value()).isPresent())) {
            throw new UnknownTarget("island " + island + " is not registered");
        }
    }

    private static boolean eventually(BooleanSupplier found) {
        long deadline = System.nanoTime() + READ_SIDE_LAG.toNanos();
        while (!found.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
