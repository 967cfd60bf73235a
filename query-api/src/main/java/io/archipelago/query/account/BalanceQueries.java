package io.archipelago.query.account;

import io.archipelago.projections.account.AccountBalanceView;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.query.web.NotFound;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** An account's balances. */
@RestController
final class BalanceQueries {

    private final AccountBalances balances;

    BalanceQueries(AccountBalances balances) {
        this.balances = balances;
    }

    @GetMapping("/accounts/{accountId}/balance")
    AccountBalanceView balance(@PathVariable String accountId) {
        return balances.find(accountId).orElseThrow(() -> new NotFound("account " + accountId));
    }
}
