package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.chain.ChainCheckpoint;
import io.archipelago.projections.chain.EventChain;
import io.archipelago.projections.chain.StoredEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auditor's replay against a real coordinator's store: clean after honest trading, and it finds an event changed
 * in the database behind the exchange's back and a ledger that does not balance, and its totals stay exact for any
 * amount the store holds. Whoever can write the database can also rewrite the links to match, remove the newest
 * events with theirs or stall the chain: the checkpoints signed outside the database show each. The coordinator signs
 * a checkpoint after every batch here. The tests run in order on one coordinator; those that tamper restore what they
 * changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditorTest {

    @TempDir
    static Path dataDir;

    private static CoordinatorNode node;

    @BeforeAll
    static void trade() {
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.put("archipelago.event-chain.checkpoint-every-links", 1);
        node = CoordinatorNode.start(dataDir, settings);
        new ReadSideWorkload(node).open().jobs(0, 40).payout(ReadSideWorkload.HOST, "payout-1", 500, 50);
        awaitSigned();
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
        assertThat(report.checkpoints()).isPositive();
        assertThat(report.signedLinks()).isEqualTo(stored);
        assertThat(Path.of(dataDir.toString(), "chain-signing.key")).isRegularFile();
        assertThat(Path.of(dataDir.toString(), "chain-signing.key.pub")).isRegularFile();
    }

    @Test
    @Order(2)
    void aPayoutChangedInTheDatabaseBreaksTheChainAndTheComparison() {
        PaidPayout payout = PaidPayout.stored();
        long globalIndex = payout.globalIndex();
        byte[] honest = payout.honest();
        try {
            setColumn("payload", payout.forged(), globalIndex);

            AuditReport report = audit();

            assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                    .startsWith("chain: link").contains("does not match event " + globalIndex)
                    .contains("PayoutPaid"));
            assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                    .isEqualTo("read model: host-1 PAYOUTS_IN_FLIGHT shows 0, the ledger says 450"));
        } finally {
            setColumn("payload", honest, globalIndex);
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

            assertThat(audit().problems()).hasSize(2).contains("chain: link " + chainPosition(globalIndex)
                    + " names event " + globalIndex + " (" + removed.get("event_identifier")
                    + "), which is no longer in the store").anySatisfy(problem -> assertThat(problem)
                    .startsWith("chain: the checkpoint of link ").contains(" cannot be verified: an event between link")
                    .endsWith("is missing from the store"));
        } finally {
            restore(removed);
        }
        assertThat(audit().problems()).isEmpty();
    }

    /**
     * A deposit as large as a {@code long} holds, as the store may keep from before deposits were capped: the
     * auditor's totals exceed a {@code long} and stay exact, and the store still audits clean.
     */
    @Test
    @Order(12)
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
        awaitSigned();

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
    @Order(14)
    void earningsNobodyPaidForMakeALedgerThatDoesNotBalance() {
        String host = "account:" + ReadSideWorkload.HOST.value();
        long next = count("SELECT max(sequence_number) + 1 FROM domain_event_entry WHERE aggregate_identifier = '"
                + host + "'");
        EarningsCredited forged = new EarningsCredited(ReadSideWorkload.HOST, new JobId("job-never-run"),
                EarningsKind.HOST, MicroCredits.of(777), ReadSideWorkload.at(99));
        node.bean(EventStore.class).publish(new GenericDomainEventMessage<>("Account", host, next, forged));
        awaitSigned();

        AuditReport report = audit();

        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("ledger: does not balance at event")
                .contains("EarningsCredited").contains("<clearing>"));
        assertThat(report.problems()).noneMatch(problem -> problem.startsWith("chain:"));
    }

    /** A forged payout whose links were all recomputed: the chain agrees with itself, not with what was signed. */
    @Test
    @Order(4)
    void aForgedEventWithRecomputedLinksContradictsTheSignedCheckpoints() {
        PaidPayout payout = PaidPayout.stored();

        assertRelinkedForgeryContradictsACheckpoint(chainPosition(payout.globalIndex()),
                () -> setColumn("payload", payout.forged(), payout.globalIndex()),
                () -> setColumn("payload", payout.honest(), payout.globalIndex()));
    }

    /** The chain covers an event's metadata like its payload. */
    @Test
    @Order(5)
    void changedMetadataWithRecomputedLinksContradictsTheSignedCheckpoints() {
        Map<String, Object> event = node.jdbc().queryForMap("""
                SELECT global_index, meta_data FROM domain_event_entry WHERE meta_data IS NOT NULL
                ORDER BY global_index LIMIT 1""");
        long globalIndex = ((Number) event.get("global_index")).longValue();
        byte[] honest = (byte[]) event.get("meta_data");
        byte[] forged = "{\"traceId\":\"forged\"}".getBytes(StandardCharsets.UTF_8);

        assertRelinkedForgeryContradictsACheckpoint(chainPosition(globalIndex),
                () -> setColumn("meta_data", forged, globalIndex), () -> setColumn("meta_data", honest, globalIndex));
    }

    /** Two events that swapped places in the store, links recomputed. */
    @Test
    @Order(6)
    void reorderedEventsWithRecomputedLinksContradictTheSignedCheckpoints() {
        long first = count("SELECT min(global_index) FROM domain_event_entry");
        long second = count("SELECT min(global_index) FROM domain_event_entry WHERE global_index > " + first);

        assertRelinkedForgeryContradictsACheckpoint(chainPosition(first), () -> swap(first, second),
                () -> swap(first, second));
    }

    /**
     * The store changed by {@code forge} with every link recomputed: the links agree with the events, and a
     * checkpoint signed over the stretch holding link {@code position} does not; clean again once restored.
     */
    private static void assertRelinkedForgeryContradictsACheckpoint(long position, Runnable forge, Runnable restore) {
        try {
            forge.run();
            relink();

            List<String> problems = audit().problems();

            assertThat(problems).noneMatch(problem -> problem.startsWith("chain: link"));
            assertContradicted(problems, position);
        } finally {
            restore.run();
            relink();
        }
        assertThat(audit().problems()).isEmpty();
    }

    /** The store's one payout of 500, and its payload forged to 50. */
    private record PaidPayout(long globalIndex, byte[] honest, byte[] forged) {

        static PaidPayout stored() {
            Map<String, Object> payout = node.jdbc().queryForMap("""
                    SELECT global_index, payload FROM domain_event_entry
                    WHERE payload_type LIKE '%.PayoutPaid'""");
            byte[] honest = (byte[]) payout.get("payload");
            String forged = new String(honest, StandardCharsets.UTF_8).replace("\"value\":500", "\"value\":50");
            assertThat(forged).isNotEqualTo(new String(honest, StandardCharsets.UTF_8));
            return new PaidPayout(((Number) payout.get("global_index")).longValue(), honest,
                    forged.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void setColumn(String column, byte[] value, long globalIndex) {
        node.jdbc().update("UPDATE domain_event_entry SET " + column + " = ? WHERE global_index = ?", value,
                globalIndex);
    }

    /** The newest events removed with their links leave a chain that agrees with itself but ends too early. */
    @Test
    @Order(7)
    void theNewestEventsRemovedWithTheirLinksAreShorterThanTheLatestCheckpoint() {
        List<Map<String, Object>> removed = node.jdbc().queryForList("""
                SELECT * FROM domain_event_entry ORDER BY global_index DESC LIMIT 2""");
        List<Map<String, Object>> links = node.jdbc().queryForList("""
                SELECT * FROM event_chain ORDER BY chain_position DESC LIMIT 2""");
        long kept = count("SELECT max(chain_position) FROM event_chain") - 2;
        try {
            node.jdbc().update("DELETE FROM event_chain WHERE chain_position > ?", kept);
            node.jdbc().update("DELETE FROM domain_event_entry WHERE global_index >= ?",
                    removed.get(1).get("global_index"));

            assertThat(audit().problems()).anySatisfy(problem -> assertThat(problem)
                    .startsWith("chain: the chain ends at link " + kept + " but the checkpoint signed at")
                    .endsWith("covers " + (kept + 2) + " links up to event " + removed.get(0).get("global_index")
                            + ": the newest events were removed"))
                    .noneMatch(problem -> problem.startsWith("chain: link"));
        } finally {
            removed.forEach(AuditorTest::restore);
            links.forEach(AuditorTest::restoreLink);
        }
        assertThat(audit().problems()).isEmpty();
    }

    /** A chain that stopped linking vouches for none of the events after it: the audit fails, it does not wait. */
    @Test
    @Order(8)
    void aLaggingChainFailsTheAudit() {
        List<Map<String, Object>> links = node.jdbc().queryForList("""
                SELECT * FROM event_chain ORDER BY chain_position DESC LIMIT 3""");
        long kept = count("SELECT max(chain_position) FROM event_chain") - 3;
        try {
            node.jdbc().update("DELETE FROM event_chain WHERE chain_position > ?", kept);

            AuditReport report = audit();

            assertThat(report.unlinked()).isEqualTo(3);
            assertThat(report.problems()).contains("chain: 3 events are not linked, at most 0 may be: the chain lags"
                    + " behind the store and vouches for none of them");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            LedgerAudit.print(report, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("RESULT: FAILED");
        } finally {
            links.forEach(AuditorTest::restoreLink);
        }
        assertThat(audit().problems()).isEmpty();
    }

    /** A checkpoint signed with another key, here one that vouches for a rewritten chain, counts for nothing. */
    @Test
    @Order(9)
    void aCheckpointWithABadSignatureFailsTheAudit() throws IOException {
        Path file = dataDir.resolve("chain-checkpoints.jsonl");
        String honest = Files.readString(file, StandardCharsets.UTF_8);
        String last = honest.lines().reduce((earlier, later) -> later).orElseThrow();
        ChainCheckpoint signed = ChainCheckpoint.parse(last);
        String forged = last.replace(signed.head(), "0".repeat(64));
        try {
            Files.writeString(file, forged + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            assertThat(audit().problems()).containsExactly("checkpoint: the checkpoint of link " + signed.position()
                    + " at " + signed.time() + " has a bad signature: it was not signed with the chain's key of node "
                    + signed.node());
        } finally {
            Files.writeString(file, honest, StandardCharsets.UTF_8);
        }
        assertThat(audit().problems()).isEmpty();
    }

    /**
     * A coordinator stopped in order while its chain processor lagged: what was committed after the chain's head is
     * linked at shutdown, so the stopped store audits whole; started again, the processor passes over those events.
     */
    @Test
    @Order(10)
    void eventsTheChainProcessorDidNotReachAreLinkedAtShutdown() throws Exception {
        StreamingEventProcessor chain = node.bean(Configuration.class).eventProcessingConfiguration()
                .eventProcessor("event-chain", StreamingEventProcessor.class).orElseThrow();
        chain.shutDown();
        long stored;
        try {
            long linkedBefore = count("SELECT count(*) FROM event_chain");
            new ReadSideWorkload(node).jobs(40, 43);
            ReadSideNodes.awaitProjected(node);
            assertThat(audit().unlinked()).isPositive();

            ((DisposableBean) node.context().getBean("eventChainWriter")).destroy();

            AuditReport stopped = audit();
            stored = count("SELECT count(*) FROM domain_event_entry");
            assertThat(stopped.problems()).isEmpty();
            assertThat(stopped.unlinked()).isZero();
            assertThat(stopped.links()).isEqualTo(stored).isGreaterThan(linkedBefore);
            assertThat(stopped.signedLinks()).isEqualTo(stored);
        } finally {
            chain.start();
        }
        ReadSideNodes.awaitCaughtUp(node);
        await().atMost(Duration.ofSeconds(30)).until(() -> chain.processingStatus().values().stream()
                .allMatch(segment -> segment.getCurrentPosition().orElse(-1)
                        >= count("SELECT max(global_index) FROM domain_event_entry")));
        AuditReport restarted = audit();
        assertThat(restarted.problems()).isEmpty();
        assertThat(restarted.links()).isEqualTo(stored);
    }

    /**
     * An event committed late, behind an event the chain processor had already linked, and only after the processor
     * stopped: its index is a gap of the processor's last token, so the links at shutdown take it in (before the
     * events after the head); without them the auditor would call it slipped in.
     */
    @Test
    @Order(11)
    void anEventCommittedLateBehindTheHeadIsLinkedAtShutdown() throws Exception {
        awaitSigned();
        StreamingEventProcessor chain = node.bean(Configuration.class).eventProcessingConfiguration()
                .eventProcessor("event-chain", StreamingEventProcessor.class).orElseThrow();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService late = Executors.newSingleThreadExecutor();
        long stored;
        try {
            Future<?> lateCommit = late.submit(() -> new TransactionTemplate(
                    node.bean(PlatformTransactionManager.class)).executeWithoutResult(transaction -> {
                        opened("late-account");
                        appended.countDown();
                        try {
                            commit.await();
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
            opened("early-account");
            long ahead = count("SELECT max(global_index) FROM domain_event_entry");
            await().atMost(Duration.ofSeconds(30)).until(() -> chain.processingStatus().values().stream()
                    .allMatch(segment -> segment.getCurrentPosition().orElse(-1) >= ahead));
            chain.shutDown();
            commit.countDown();
            lateCommit.get(30, TimeUnit.SECONDS);
            stored = count("SELECT count(*) FROM domain_event_entry");
            assertThat(audit().problems()).anySatisfy(problem -> assertThat(problem)
                    .contains("lies behind the chain's head but was never linked"));

            ((DisposableBean) node.context().getBean("eventChainWriter")).destroy();

            AuditReport stopped = audit();
            assertThat(stopped.problems()).isEmpty();
            assertThat(stopped.unlinked()).isZero();
            assertThat(stopped.links()).isEqualTo(stored);
        } finally {
            commit.countDown();
            late.shutdownNow();
            chain.start();
        }
        ReadSideNodes.awaitCaughtUp(node);
        awaitSigned();
        AuditReport restarted = audit();
        assertThat(restarted.problems()).isEmpty();
        assertThat(restarted.links()).isEqualTo(stored);
    }

    private static void opened(String account) {
        node.bean(EventStore.class).publish(new GenericDomainEventMessage<>("Account", "account:" + account, 0,
                new AccountOpened(new AccountId(account), Country.of("DE"), ReadSideWorkload.at(99))));
    }

    private static AuditReport audit() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        AuditReport report = new LedgerAudit(node.bean(DataSource.class), AuditEvidence.of(dataDir, null, null, 0),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        LedgerAudit.print(report, System.out);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("events in the store");
        return report;
    }

    /** A problem says a checkpoint contradicts the recomputed chain, between links that include {@code position}. */
    private static void assertContradicted(List<String> problems, long position) {
        Pattern contradicted = Pattern.compile("chain: the store recomputed to link (\\d+) \\(event \\d+\\) does not"
                + " match the checkpoint signed at \\S+: an event between link (\\d+) and link \\1 was changed,"
                + " removed, inserted or reordered after it was signed");
        assertThat(problems).anySatisfy(problem -> {
            Matcher matcher = contradicted.matcher(problem);
            assertThat(matcher.matches()).as(problem).isTrue();
            assertThat(position).isBetween(Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(1)));
        });
    }

    /** Waits until the chain links every stored event and the latest checkpoint signs its head. */
    private static void awaitSigned() {
        ReadSideNodes.awaitCaughtUp(node);
        await().atMost(Duration.ofSeconds(30)).until(() -> signedPosition()
                == count("SELECT count(*) FROM domain_event_entry"));
    }

    private static long signedPosition() throws IOException {
        Path file = dataDir.resolve("chain-checkpoints.jsonl");
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(ChainCheckpoint::parse)
                .mapToLong(ChainCheckpoint::position).max().orElse(0);
    }

    /** What someone with write access to the database does after changing events: recomputes every link. */
    private static void relink() {
        EventChain chain = new EventChain();
        byte[] link = EventChain.GENESIS;
        List<Map<String, Object>> links = node.jdbc().queryForList(
                "SELECT chain_position, global_index FROM event_chain ORDER BY chain_position");
        for (Map<String, Object> linked : links) {
            StoredEvent event = node.jdbc().queryForObject("SELECT " + StoredEvent.COLUMNS
                    + " FROM domain_event_entry e WHERE e.global_index = ?", (row, number) -> StoredEvent.read(row),
                    linked.get("global_index"));
            link = chain.next(link, event);
            node.jdbc().update("UPDATE event_chain SET hash = ?, event_identifier = ? WHERE chain_position = ?",
                    EventChain.hex(link), event.identifier(), linked.get("chain_position"));
        }
    }

    private static void swap(long first, long second) {
        node.jdbc().update("UPDATE domain_event_entry SET global_index = -1 WHERE global_index = ?", first);
        node.jdbc().update("UPDATE domain_event_entry SET global_index = ? WHERE global_index = ?", first, second);
        node.jdbc().update("UPDATE domain_event_entry SET global_index = ? WHERE global_index = -1", second);
    }

    private static void restore(Map<String, Object> removed) {
        node.jdbc().update("""
                INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                    event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", removed.get("global_index"),
                removed.get("aggregate_identifier"), removed.get("sequence_number"), removed.get("type"),
                removed.get("event_identifier"), removed.get("meta_data"), removed.get("payload"),
                removed.get("payload_revision"), removed.get("payload_type"), removed.get("time_stamp"));
    }

    private static void restoreLink(Map<String, Object> link) {
        node.jdbc().update("INSERT INTO event_chain (chain_position, global_index, event_identifier, hash)"
                + " VALUES (?, ?, ?, ?)", link.get("chain_position"), link.get("global_index"),
                link.get("event_identifier"), link.get("hash"));
    }

    private static long chainPosition(long globalIndex) {
        return count("SELECT chain_position FROM event_chain WHERE global_index = " + globalIndex);
    }

    private static long count(String sql) {
        List<Long> value = node.jdbc().queryForList(sql, Long.class);
        return value.get(0);
    }
}
