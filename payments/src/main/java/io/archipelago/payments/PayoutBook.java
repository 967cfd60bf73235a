package io.archipelago.payments;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The payments module's own tables: where each host is paid (its Stripe Connect account), each payout as the ledger
 * events left it with the idempotency key its transfer uses, and each account's unpaid earnings.
 */
@Component
final class PayoutBook {

    /** A payout as the ledger left it; {@code transferId} once Stripe accepted its transfer. */
    record Payout(AccountId accountId, String payoutId, MicroCredits amount, String idempotencyKey, State state,
                  @Nullable String transferId, int attempts, @Nullable String lastError) {
    }

    /** Where a payout stands in the ledger. */
    enum State {
        REQUESTED, PAID, FAILED
    }

    /** An account whose unpaid earnings may reach the payout threshold. */
    record Earnings(AccountId accountId, MicroCredits earnings, MicroCredits earnedTotal) {
    }

    private final JdbcTemplate jdbc;

    PayoutBook(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void linkDestination(AccountId accountId, String stripeAccountId, Instant at) {
        jdbc.update("""
                insert into payout_destination (account_id, stripe_account_id, linked_at) values (?, ?, ?)
                on conflict (account_id) do update set stripe_account_id = excluded.stripe_account_id,
                                                       linked_at = excluded.linked_at""",
                accountId.value(), stripeAccountId, Timestamp.from(at));
    }

    Optional<String> destinationOf(AccountId accountId) {
        return jdbc.query("select stripe_account_id from payout_destination where account_id = ?",
                (row, n) -> row.getString(1), accountId.value()).stream().findFirst();
    }

    /** Records a requested payout once; a replayed request keeps the row (and key) it already has. */
    void requested(AccountId accountId, String payoutId, MicroCredits amount, String idempotencyKey, Instant at) {
        int inserted = jdbc.update("""
                insert into payout (account_id, payout_id, amount_micro_credits, idempotency_key, state, requested_at,
                                    next_attempt_at)
                values (?, ?, ?, ?, 'REQUESTED', ?, ?) on conflict do nothing""",
                accountId.value(), payoutId, amount.value(), idempotencyKey, Timestamp.from(at), Timestamp.from(at));
        if (inserted == 1) {
            changeEarnings(accountId, -amount.value(), 0);
        }
    }

    void paid(AccountId accountId, String payoutId) {
        jdbc.update("update payout set state = 'PAID', last_error = null where account_id = ? and payout_id = ?",
                accountId.value(), payoutId);
    }

    void failed(AccountId accountId, String payoutId, MicroCredits amount, String reason) {
        int changed = jdbc.update("""
                update payout set state = 'FAILED', last_error = ? where account_id = ? and payout_id = ?
                and state <> 'FAILED'""", clip(reason), accountId.value(), payoutId);
        if (changed == 1) {
            changeEarnings(accountId, amount.value(), 0);
        }
    }

    void earned(AccountId accountId, MicroCredits amount) {
        changeEarnings(accountId, amount.value(), amount.value());
    }

    private void changeEarnings(AccountId accountId, long change, long earned) {
        jdbc.update("""
                insert into payout_earnings (account_id, earnings_micro_credits, earned_total_micro_credits)
                values (?, ?, ?) on conflict (account_id) do update
                set earnings_micro_credits = payout_earnings.earnings_micro_credits + excluded.earnings_micro_credits,
                    earned_total_micro_credits = payout_earnings.earned_total_micro_credits
                                                 + excluded.earned_total_micro_credits""",
                accountId.value(), change, earned);
    }

    /** Forgets what the event handlers built, before they rebuild it from the first event. */
    void reset() {
        jdbc.update("delete from payout_earnings");
        jdbc.update("delete from payout");
    }

    /**
     * Claims up to {@code limit} requested payouts whose next attempt is due, pushing their next attempt {@code lease}
     * ahead so that another node or sweep leaves them alone meanwhile.
     */
    List<Payout> claimDue(Instant now, Duration lease, int limit) {
        return jdbc.query("""
                update payout set next_attempt_at = ?, attempts = attempts + 1
                where (account_id, payout_id) in (
                    select account_id, payout_id from payout where state = 'REQUESTED' and next_attempt_at <= ?
                    order by next_attempt_at limit ? for update skip locked)
                returning *""", PayoutBook::payout, Timestamp.from(now.plus(lease)), Timestamp.from(now), limit);
    }

    void transferred(AccountId accountId, String payoutId, String transferId) {
        jdbc.update("update payout set transfer_id = ?, last_error = null where account_id = ? and payout_id = ?",
                transferId, accountId.value(), payoutId);
    }

    void retryLater(AccountId accountId, String payoutId, String error, Instant next) {
        jdbc.update("update payout set last_error = ?, next_attempt_at = ? where account_id = ? and payout_id = ?",
                clip(error), Timestamp.from(next), accountId.value(), payoutId);
    }

    Optional<Payout> payout(AccountId accountId, String payoutId) {
        return jdbc.query("select * from payout where account_id = ? and payout_id = ?", PayoutBook::payout,
                accountId.value(), payoutId).stream().findFirst();
    }

    List<Payout> payouts() {
        return jdbc.query("select * from payout order by requested_at, account_id, payout_id", PayoutBook::payout);
    }

    /** Accounts with a linked payout destination whose unpaid earnings reach {@code threshold}. */
    List<Earnings> payableAt(MicroCredits threshold) {
        return jdbc.query("""
                select e.account_id, e.earnings_micro_credits, e.earned_total_micro_credits from payout_earnings e
                join payout_destination d on d.account_id = e.account_id
                where e.earnings_micro_credits >= ? order by e.account_id""",
                (row, n) -> new Earnings(new AccountId(row.getString(1)), MicroCredits.of(row.getLong(2)),
                        MicroCredits.of(row.getLong(3))), threshold.value());
    }

    private static Payout payout(ResultSet row, int n) throws SQLException {
        return new Payout(new AccountId(row.getString("account_id")), row.getString("payout_id"),
                MicroCredits.of(row.getLong("amount_micro_credits")), row.getString("idempotency_key"),
                State.valueOf(row.getString("state")), row.getString("transfer_id"), row.getInt("attempts"),
                row.getString("last_error"));
    }

    private static String clip(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
