package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's replay against a real coordinator's store: clean after honest trading, and it finds an event changed
 * in the database behind the exchange's back and a ledger that does not balance, and its totals stay exact for any
 * amount the store holds. The tests run in order on one coordinator; the one that tampers restores what it changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditorTest {

    @TempDir
    static Path dataDir;

    private static CoordinatorNode node;

    @BeforeAll
    static void trade() {
        node = CoordinatorNode.start(dataDir, ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        new ReadSideWorkload(node).open().jobs(0, 40).payout(ReadSideWorkload.HOST, "payout-1", 500, 50);
        ReadSideNodes.awaitCaughtUp(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    @Order(1)
    void anHonestStoreAuditsClean() {
        AuditReport report = audit();

        assertThat(report.problems()).isEmpty();
        long stored = count("SELECT count(*) FROM domain_event_entry");
        assertThat(report.events()).isEqualTo(stored);
        assertThat(report.links()).isEqualTo(stored);
        assertThat(report.unlinked()).isZero();
        assertThat(report.accountsCompared()).isEqualTo(ReadSideWorkload.CONSUMERS.size() + 4);
        assertThat(report.deposits()).isEqualTo(BigInteger.valueOf(3_000_000_000L));
        assertThat(report.payouts()).isEqualTo(BigInteger.valueOf(500));
        assertThat(report.chainHead()).hasSize(64).isNotEqualTo("0".repeat(64));
    }

    @Test
    @Order(2)
    void aPayoutChangedInTheDatabaseBreaksTheChainAndTheComparison() {
        Map<String, Object> payout = node.jdbc().queryForMap("""
                SELECT global_index, payload FROM domain_event_entry
                WHERE payload_type LIKE '%.PayoutPaid'""");
        long globalIndex = ((Number) payout.get("global_index")).longValue();
        byte[] honest = (byte[]) payout.get("payload");
        String forged = new String(honest, StandardCharsets.UTF_8).replace("\"value\":500", "\"value\":50");
        assertThat(forged).isNotEqualTo(new String(honest, StandardCharsets.UTF_8));
        try {
            node.jdbc().update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?",
                    forged.getBytes(StandardCharsets.UTF_8), globalIndex);

            AuditReport report = audit();

            assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                    .startsWith("chain: link").contains("does not match event " + globalIndex)
                    .contains("PayoutPaid"));
            assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                    .isEqualTo("read model: host-1 PAYOUTS_IN_FLIGHT shows 0, the ledger says 450"));
        } finally {
            node.jdbc().update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?", honest,
                    globalIndex);
        }
        assertThat(audit().problems()).isEmpty();
    }

    @Test
    @Order(3)
    void anEventRemovedFromTheStoreLeavesAHoleInTheChain() {
        Map<String, Object> removed = node.jdbc().queryForMap("""
                SELECT * FROM domain_event_entry WHERE payload_type LIKE '%.IslandRttMeasured' LIMIT 1""");
        long globalIndex = ((Number) removed.get("global_index")).longValue();
        try {
            node.jdbc().update("DELETE FROM domain_event_entry WHERE global_index = ?", globalIndex);

            assertThat(audit().problems()).containsExactly("chain: link " + chainPosition(globalIndex)
                    + " names event " + globalIndex + " (" + removed.get("event_identifier")
                    + "), which is no longer in the store");
        } finally {
            node.jdbc().update("""
                    INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                        event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", removed.get("global_index"),
                    removed.get("aggregate_identifier"), removed.get("sequence_number"), removed.get("type"),
                    removed.get("event_identifier"), removed.get("meta_data"), removed.get("payload"),
                    removed.get("payload_revision"), removed.get("payload_type"), removed.get("time_stamp"));
        }
        assertThat(audit().problems()).isEmpty();
    }

    /**
     * A deposit as large as a {@code long} holds, as the store may keep from before deposits were capped: the
     * auditor's totals exceed a {@code long} and stay exact, and the store still audits clean.
     */
    @Test
    @Order(4)
    void aDepositNearTheLargestLongAuditsCleanWithExactTotals() {
        AccountId whale = new AccountId("whale");
        String aggregate = "account:" + whale.value();
        long huge = Long.MAX_VALUE - 1;
        node.bean(EventStore.class).publish(
                new GenericDomainEventMessage<>("Account", aggregate, 0,
                        new AccountOpened(whale, Country.of("DE"), ReadSideWorkload.at(98))),
                new GenericDomainEventMessage<>("Account", aggregate, 1,
                        new CreditsDeposited(whale, "before-the-caps", MicroCredits.of(huge),
                                ReadSideWorkload.at(98))));
        ReadSideNodes.awaitCaughtUp(node);

        AuditReport report = audit();

        assertThat(report.problems()).isEmpty();
        assertThat(report.deposits()).isEqualTo(BigInteger.valueOf(3_000_000_000L).add(BigInteger.valueOf(huge)));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LedgerAudit.print(report, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("deposits 9,223,372,039,854,775,806")
                .contains("RESULT: OK");
    }

    /** Earnings that no consumer paid for: linked and projected like any event, but the ledger cannot book them. */
    @Test
    @Order(5)
    void earningsNobodyPaidForMakeALedgerThatDoesNotBalance() {
        String host = "account:" + ReadSideWorkload.HOST.value();
        long next = count("SELECT max(sequence_number) + 1 FROM domain_event_entry WHERE aggregate_identifier = '"
                + host + "'");
        EarningsCredited forged = new EarningsCredited(ReadSideWorkload.HOST, new JobId("job-never-run"),
                EarningsKind.HOST, MicroCredits.of(777), ReadSideWorkload.at(99));
        node.bean(EventStore.class).publish(new GenericDomainEventMessage<>("Account", host, next, forged));
        ReadSideNodes.awaitCaughtUp(node);

        AuditReport report = audit();

        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("ledger: does not balance at event")
                .contains("EarningsCredited").contains("<clearing>"));
        assertThat(report.problems()).noneMatch(problem -> problem.startsWith("chain:"));
    }

    private static AuditReport audit() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        AuditReport report = new LedgerAudit(node.bean(DataSource.class), new PrintStream(progress, true,
                StandardCharsets.UTF_8)).run();
        LedgerAudit.print(report, System.out);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("events in the store");
        return report;
    }

    private static long chainPosition(long globalIndex) {
        return count("SELECT chain_position FROM event_chain WHERE global_index = " + globalIndex);
    }

    private static long count(String sql) {
        List<Long> value = node.jdbc().queryForList(sql, Long.class);
        return value.get(0);
    }
}
