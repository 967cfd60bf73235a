package io.archipelago.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A workflow's hold through the ledger: held from available into escrow, drawn on by its steps' jobs (one partly from
 * available), their unspent escrow back into the hold, a failed step's escrow back too, the rest released at the end.
 * After every event money is conserved, and the ledger's buckets equal the account the same events rebuild.
 */
class LedgerHoldsTest {

    private static final AccountId ALICE = new AccountId("alice");
    private static final AccountId HOST = new AccountId("host-1");
    private static final String HOLD = "workflow:wf-1";
    private static final JobId FIRST = new JobId("wf-1-0-1");
    private static final JobId FAILED = new JobId("wf-1-1-1");
    private static final JobId RETRY = new JobId("wf-1-1-2");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aHoldMovesWithinEscrowAndTheBooksBalanceAfterEveryEvent() {
        List<Object> events = List.of(
                new AccountOpened(ALICE, Country.of("DE"), AT),
                new CreditsDeposited(ALICE, "d-1", MicroCredits.of(1_000), AT),
                new CreditsHeld(ALICE, HOLD, MicroCredits.of(600), AT),
                new CreditsReserved(ALICE, FIRST, MicroCredits.of(400), AT, HOLD, MicroCredits.of(400)),
                new CreditsReserved(ALICE, FAILED, MicroCredits.of(300), AT, HOLD, MicroCredits.of(200)),
                new CreditsSettled(ALICE, FIRST, MicroCredits.of(150), MicroCredits.of(250), AT, HOLD),
                new EarningsCredited(HOST, FIRST, EarningsKind.HOST, MicroCredits.of(150), AT),
                new CreditsReleased(ALICE, FAILED, MicroCredits.of(300), "island failed", AT, HOLD),
                new CreditsReserved(ALICE, RETRY, MicroCredits.of(300), AT, HOLD, MicroCredits.of(300)),
                new HoldReleased(ALICE, HOLD, MicroCredits.of(250), "workflow ended", AT),
                new CreditsSettled(ALICE, RETRY, MicroCredits.of(100), MicroCredits.of(200), AT),
                new EarningsCredited(HOST, RETRY, EarningsKind.HOST, MicroCredits.of(100), AT));
        Ledger ledger = new Ledger();
        AggregateStore<Account> accounts = AggregateStore.of(Account.class);
        accounts.seed(ALICE.value(), events.stream().filter(event -> !(event instanceof EarningsCredited)).toArray());

        for (Object event : events) {
            ledger.record(event);
            assertThat(ledger.isConserved()).as("conserved after %s", event).isTrue();
        }

        assertThat(ledger.balance(ALICE, Bucket.AVAILABLE)).isEqualTo(MicroCredits.of(750))
                .isEqualTo(accounts.read(ALICE.value(), Account::available));
        assertThat(ledger.balance(ALICE, Bucket.ESCROW)).isEqualTo(MicroCredits.ZERO)
                .isEqualTo(accounts.read(ALICE.value(), Account::inEscrow));
        assertThat(ledger.balance(HOST, Bucket.EARNINGS)).isEqualTo(MicroCredits.of(250));
    }
}
