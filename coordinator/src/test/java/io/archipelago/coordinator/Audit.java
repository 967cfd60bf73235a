package io.archipelago.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.money.MicroCredits;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/** What an auditor checks on a coordinator's event store, as assertions. */
public final class Audit {

    private Audit() {
    }

    /**
     * Replays every stored event through the double-entry {@link Ledger} (which throws when an entry would go below
     * zero), checks that money is conserved and no settlement is half done, and that every account aggregate holds
     * exactly the balances the ledger computed. Returns the ledger.
     */
    public static Ledger assertLedgerMatchesAccounts(CoordinatorNode node) {
        return assertLedgerMatches(node, node::read);
    }

    /**
     * As {@link #assertLedgerMatchesAccounts}, against accounts replayed from the store: what any node will hold
     * once it has caught up, when another node may have written after this one last did.
     */
    public static Ledger assertLedgerMatchesReplayedAccounts(CoordinatorNode node) {
        return assertLedgerMatches(node, node::replay);
    }

    /** How an account is read: from the node's cache, or replayed. */
    private interface AccountReader {
        Map<Bucket, MicroCredits> read(Class<Account> type, String id, Function<Account, Map<Bucket, MicroCredits>> q);
    }

    private static Ledger assertLedgerMatches(CoordinatorNode node, AccountReader reader) {
        List<Object> payloads = node.payloads();
        Ledger ledger = new Ledger();
        payloads.forEach(ledger::record);
        assertThat(ledger.isConserved()).as("sum of balances = deposits - payouts").isTrue();
        assertThat(ledger.isCleared()).as("no charge left between a consumer's debit and the earnings").isTrue();
        Set<AccountId> accounts = new TreeSet<>();
        payloads.stream().filter(AccountOpened.class::isInstance).map(AccountOpened.class::cast)
                .forEach(opened -> accounts.add(opened.accountId()));
        assertThat(accounts).isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (AccountId account : accounts) {
            Map<Bucket, MicroCredits> held = reader.read(Account.class, account.value(), aggregate -> Map.of(
                    Bucket.AVAILABLE, aggregate.available(),
                    Bucket.ESCROW, aggregate.inEscrow(),
                    Bucket.EARNINGS, aggregate.earnings(),
                    Bucket.PAYOUTS_IN_FLIGHT, aggregate.payoutsInFlight()));
            held.forEach((bucket, amount) -> softly.assertThat(amount)
                    .as(account + " " + bucket)
                    .isEqualTo(ledger.balance(account, bucket)));
        }
        softly.assertAll();
        return ledger;
    }

    /** Each aggregate's events are numbered 0, 1, 2, … with no gap and no number used twice. */
    public static void assertContiguousSequences(CoordinatorNode node) {
        List<Map<String, Object>> broken = node.jdbc().queryForList("""
                SELECT aggregate_identifier, count(*) AS events, count(DISTINCT sequence_number) AS distinct_numbers,
                       min(sequence_number) AS first, max(sequence_number) AS last
                FROM domain_event_entry
                GROUP BY aggregate_identifier
                HAVING min(sequence_number) <> 0 OR max(sequence_number) <> count(*) - 1
                    OR count(DISTINCT sequence_number) <> count(*)
                """);
        assertThat(broken).as("aggregates whose sequence numbers are not 0..n-1").isEmpty();
        Integer aggregates = node.jdbc().queryForObject(
                "SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry", Integer.class);
        assertThat(aggregates).isPositive();
    }
}
