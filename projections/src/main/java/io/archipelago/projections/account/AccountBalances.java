package io.archipelago.projections.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code account_balance_view}. */
@Component
public final class AccountBalances {

    private final JdbcClient jdbc;

    AccountBalances(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The balances of the account, once its opening has been projected. */
    public Optional<AccountBalanceView> find(String accountId) {
        return jdbc.sql("SELECT * FROM account_balance_view WHERE account_id = :account")
                .param("account", accountId)
                .query((row, number) -> view(row))
                .optional();
    }

    private static AccountBalanceView view(ResultSet row) throws SQLException {
        return new AccountBalanceView(row.getString("account_id"), row.getString("country"),
                row.getLong("available_micro_credits"), row.getLong("escrow_micro_credits"),
                row.getLong("earnings_micro_credits"), row.getLong("payouts_in_flight_micro_credits"),
                row.getObject("opened_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
