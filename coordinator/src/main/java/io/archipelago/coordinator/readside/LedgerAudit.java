package io.archipelago.coordinator.readside;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.ledger.Posting.Entry;
import io.archipelago.projections.chain.ChainCheckpoint;
import io.archipelago.projections.chain.EventChain;
import io.archipelago.projections.chain.StoredEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * The auditor's replay: reads the whole event store from the first event, straight from PostgreSQL and without Axon
 * or any event processor, and
 * <ol>
 *     <li>recomputes every link of the hash chain ({@link EventChain}) from the stored rows, in the chain's order,
 *     and compares it with the link the chain writer stored: a changed, removed or reordered event breaks it;</li>
 *     <li>checks the chain against the signed checkpoints kept outside the database ({@link AuditEvidence}): every
 *     signature, the chain recomputed from the first event against each checkpoint's head (links rewritten to match
 *     a changed event do not), a store shorter than the latest checkpoint, and no more unlinked events than
 *     allowed;</li>
 *     <li>when given the Kafka export, compares every exported event's payload with the stored one;</li>
 *     <li>books every money event in a fresh double-entry {@link Ledger}, which refuses any entry going below zero,
 *     and checks that money is conserved (balances = deposits - payouts) and no settlement is left half done;</li>
 *     <li>compares every account's four balances with the balance read model ({@code account_balance_view}).</li>
 * </ol>
 * It writes nothing, and reads the store in two streaming queries (a server-side cursor: autocommit off, fetch size
 * {@value #FETCH_SIZE}), never one query per event. Progress, with the time left, goes to its {@link AuditProgress}
 * about once a second.
 */
final class LedgerAudit {

    /** Problems printed in full; beyond this only their number. */
    static final int PROBLEMS_SHOWN = 50;

    private static final Set<Class<?>> MONEY_EVENTS = Set.of(CreditsDeposited.class, CreditsHeld.class,
            HoldReleased.class, CreditsReserved.class, CreditsSettled.class, CreditsReleased.class,
            EarningsCredited.class, PayoutRequested.class, PayoutPaid.class, PayoutFailed.class);
    private static final Map<String, Class<?>> MONEY_EVENT_TYPES = MONEY_EVENTS.stream()
            .collect(Collectors.toMap(Class::getName, type -> type));
    static final int FETCH_SIZE = 10_000;
    /** Every link with the event it names, in the chain's order: the one query the replay of the chain reads. */
    static final String CHAINED = "SELECT c.chain_position, c.global_index AS linked_index,"
            + " c.event_identifier AS linked_identifier, c.hash, " + StoredEvent.COLUMNS + " FROM event_chain c"
            + " LEFT JOIN domain_event_entry e ON e.global_index = c.global_index ORDER BY c.chain_position";

    private final DataSource dataSource;
    private final AuditEvidence evidence;
    private final AuditProgress progress;
    private final Map<String, ObjectReader> readers = readers();

    private final Ledger ledger = new Ledger();
    private final EventChain chain = new EventChain();
    private final List<String> problems = new ArrayList<>();
    private long events;
    private long links;
    /** Links whose event is in the store. */
    private long linkedEvents;
    private long total;
    private long unlinked;
    private long moneyEvents;
    private long started;
    private byte[] head = EventChain.GENESIS;
    /** The chain recomputed from the first event and the store alone; null once an event it needs is missing. */
    private byte @Nullable [] recomputed = EventChain.GENESIS;
    private long recomputedFrom;
    private Iterator<ChainCheckpoint> checkpoints = List.<ChainCheckpoint>of().iterator();
    private @Nullable ChainCheckpoint nextCheckpoint;
    private @Nullable ChainCheckpoint lastCheckpoint;
    private long checkpointsVerified;

    private static Map<String, ObjectReader> readers() {
        ObjectMapper json = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
        return MONEY_EVENT_TYPES.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, type -> json.readerFor(type.getValue())));
    }

    LedgerAudit(DataSource dataSource, AuditEvidence evidence, PrintStream out) {
        this(dataSource, evidence, new AuditProgress(out, false));
    }

    LedgerAudit(DataSource dataSource, AuditEvidence evidence, AuditProgress progress) {
        this.dataSource = dataSource;
        this.evidence = evidence;
        this.progress = progress;
    }

    AuditReport run() {
        started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            // one consistent snapshot of store, chain and read model, however long the replay takes
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            // binary transfer from the first execution: bytea payloads arrive as bytes, not as hex text to decode
            connection.unwrap(PGConnection.class).setPrepareThreshold(-1);
            total = count(connection);
            progress.start(total);
            verifySignatures();
            replayChained(connection);
            checkTruncation();
            replayUnlinked(connection);
            progress.finish();
            checkLedger();
            int compared = compareWithReadModel(connection);
            connection.rollback();
            long signed = lastCheckpoint == null ? 0 : lastCheckpoint.position();
            return new AuditReport(events, links, EventChain.hex(head), checkpointsVerified, signed, unlinked,
                    moneyEvents, ledger.deposits(),
                    ledger.payouts(), compared, List.copyOf(problems), Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException failed) {
            throw new IllegalStateException("the audit could not read the database: " + failed.getMessage(), failed);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM domain_event_entry");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Every linked event, in the order the chain linked them. */
    private void replayChained(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CHAINED)) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    verifyLink(row);
                }
            }
        }
    }

    private void verifyLink(ResultSet row) throws SQLException {
        links++;
        long position = row.getLong("chain_position");
        long globalIndex = row.getLong("linked_index");
        byte[] stored = EventChain.bytes(row.getString("hash"));
        String identifier = row.getString("event_identifier");
        if (position != links) {
            problem("chain: link " + links + " is numbered " + position + ": links were removed or added");
        }
        if (identifier == null) {
            problem("chain: link " + position + " names event " + globalIndex + " ("
                    + row.getString("linked_identifier") + "), which is no longer in the store");
            head = stored;
            recomputed = null;
            checkpointAt(position, globalIndex);
            return;
        }
        linkedEvents++;
        StoredEvent event = StoredEvent.read(row);
        byte[] computed = chain.next(head, event);
        if (!Arrays.equals(computed, stored)) {
            problem("chain: link " + position + " does not match event " + globalIndex + " (" + identifier + ", "
                    + simpleName(event.payloadType()) + " of " + event.aggregateIdentifier() + " #"
                    + event.sequenceNumber() + "): the stored event was changed after it was linked");
        }
        if (recomputed != null) {
            recomputed = Arrays.equals(recomputed, head) ? computed : chain.next(recomputed, event);
        }
        // the next link is checked against what the writer chained, so one changed event shows as one problem
        head = stored;
        checkpointAt(position, globalIndex);
        replay(globalIndex, identifier, event.payloadType(), event.payload());
    }

    /**
     * Every checkpoint's signature, each with the key of the node it names: those signed with another key, and those
     * of a node whose key the auditor was not given, are problems and vouch for nothing.
     */
    private void verifySignatures() {
        evidence.problems().forEach(this::problem);
        List<ChainCheckpoint> valid = new ArrayList<>();
        Map<String, List<ChainCheckpoint>> unknown = new TreeMap<>();
        for (ChainCheckpoint checkpoint : evidence.checkpoints()) {
            if (evidence.keys().isEmpty()) {
                continue;
            }
            switch (evidence.keys().check(checkpoint)) {
                case VALID -> {
                    valid.add(checkpoint);
                    checkpointsVerified++;
                }
                case BAD_SIGNATURE -> problem("checkpoint: the checkpoint of link " + checkpoint.position() + " at "
                        + checkpoint.time() + " has a bad signature: it was not signed with the chain's key"
                        + (checkpoint.node() == null ? "" : " of node " + checkpoint.node()));
                case UNKNOWN_NODE -> unknown.computeIfAbsent(String.valueOf(checkpoint.node()),
                        node -> new ArrayList<>()).add(checkpoint);
            }
        }
        unknown.forEach((node, refused) -> problem("checkpoint: " + refused.size() + " checkpoints of node " + node
                + " (links " + refused.stream().mapToLong(ChainCheckpoint::position).min().orElseThrow() + " to "
                + refused.stream().mapToLong(ChainCheckpoint::position).max().orElseThrow() + ") are refused: the"
                + " auditor was not given that node's public key"));
        valid.sort(Comparator.comparingLong(ChainCheckpoint::position));
        lastCheckpoint = valid.isEmpty() ? null : valid.get(valid.size() - 1);
        checkpoints = valid.iterator();
        nextCheckpoint = checkpoints.hasNext() ? checkpoints.next() : null;
    }

    /** The chain recomputed up to link {@code position} against the checkpoints signed there. */
    private void checkpointAt(long position, long globalIndex) {
        while (nextCheckpoint != null && nextCheckpoint.position() <= position) {
            ChainCheckpoint checkpoint = nextCheckpoint;
            nextCheckpoint = checkpoints.hasNext() ? checkpoints.next() : null;
            if (checkpoint.position() < position) {
                continue;
            }
            String since = "between link " + (recomputedFrom + 1) + " and link " + position;
            if (recomputed == null) {
                problem("chain: the checkpoint of link " + position + " at " + checkpoint.time() + " cannot be"
                        + " verified: an event " + since + " is missing from the store");
            } else if (!EventChain.hex(recomputed).equals(checkpoint.head())) {
                problem("chain: the store recomputed to link " + position + " (event " + globalIndex + ") does not"
                        + " match the checkpoint signed at " + checkpoint.time() + ": an event " + since
                        + " was changed, removed, inserted or reordered after it was signed");
            } else if (checkpoint.globalIndex() != globalIndex) {
                problem("chain: link " + position + " names event " + globalIndex + " but the checkpoint signed at "
                        + checkpoint.time() + " names event " + checkpoint.globalIndex());
            }
            // from here on the chain is recomputed from the signed head, so each broken stretch is one problem
            recomputed = EventChain.bytes(checkpoint.head());
            recomputedFrom = position;
        }
    }

    /** A store whose chain ends before the latest checkpoint lost its newest events, links and all. */
    private void checkTruncation() {
        if (lastCheckpoint == null) {
            if (links > 0) {
                problem("chain: no signed checkpoint vouches for the " + links + " links: the chain is only"
                        + " consistent with itself");
            }
        } else if (lastCheckpoint.position() > links) {
            problem("chain: the chain ends at link " + links + " but the checkpoint signed at "
                    + lastCheckpoint.time() + " covers " + lastCheckpoint.position() + " links up to event "
                    + lastCheckpoint.globalIndex() + ": the newest events were removed");
        }
    }

    /** Events the chain has not linked (yet): booked too; one behind the chain's head means a hole in it. */
    private void replayUnlinked(Connection connection) throws SQLException {
        long chainHead;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT COALESCE(max(global_index), -1) FROM event_chain");
             ResultSet row = statement.executeQuery()) {
            row.next();
            chainHead = row.getLong(1);
        }
        // every event up to the chain's head linked (as many events there as links naming one): only those after
        // the head remain, read by the index; otherwise every unlinked event, by a second pass over the store
        boolean holes = total - countAfter(connection, chainHead) != linkedEvents;
        try (PreparedStatement statement = connection.prepareStatement(holes ? """
                SELECT e.global_index, e.event_identifier, e.payload_type, e.payload
                FROM domain_event_entry e
                WHERE NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.global_index = e.global_index)
                ORDER BY e.global_index""" : """
                SELECT e.global_index, e.event_identifier, e.payload_type, e.payload
                FROM domain_event_entry e WHERE e.global_index > ? ORDER BY e.global_index""")) {
            if (!holes) {
                statement.setLong(1, chainHead);
            }
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    unlinked++;
                    long globalIndex = row.getLong("global_index");
                    if (globalIndex < chainHead) {
                        problem("chain: event " + globalIndex + " (" + row.getString("event_identifier")
                                + ") lies behind the chain's head but was never linked: it was slipped in");
                    }
                    replay(globalIndex, row.getString("event_identifier"), row.getString("payload_type"),
                            row.getBytes("payload"));
                }
            }
        }
        if (unlinked > evidence.maxUnlinked()) {
            problem("chain: " + unlinked + " events are not linked, at most " + evidence.maxUnlinked() + " may be:"
                    + " the chain lags behind the store and vouches for none of them");
        }
    }

    private static long countAfter(Connection connection, long globalIndex) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM domain_event_entry WHERE global_index > ?")) {
            statement.setLong(1, globalIndex);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void replay(long globalIndex, String identifier, String payloadType, byte[] payload) {
        events++;
        if (evidence.export() != null && evidence.export().contradicts(identifier, payload)) {
            problem("export: event " + globalIndex + " (" + identifier + ", " + simpleName(payloadType)
                    + ") is stored with another payload than the Kafka export holds");
        }
        ObjectReader moneyEvent = readers.get(payloadType);
        if (moneyEvent != null) {
            moneyEvents++;
            try {
                ledger.record(moneyEvent.readValue(payload));
            } catch (IllegalStateException unbalanced) {
                problem("ledger: does not balance at event " + globalIndex + ": " + unbalanced.getMessage());
            } catch (IOException unreadable) {
                problem("ledger: event " + globalIndex + " (" + simpleName(payloadType) + ") cannot be read: "
                        + unreadable.getMessage());
            }
        }
        progress.at(events, problems.size());
    }

    private void checkLedger() {
        if (!ledger.isConserved()) {
            problem("ledger: money is not conserved: balances sum to " + ledger.total() + " but deposits - payouts = "
                    + ledger.deposits().subtract(ledger.payouts()));
        }
        if (!ledger.isCleared()) {
            problem("ledger: " + ledger.balance(Entry.CLEARING) + " micro-credits charged to consumers were never"
                    + " credited as earnings");
        }
    }

    /** Every account of the read model against the ledger, and every account with money against the read model. */
    private int compareWithReadModel(Connection connection) throws SQLException {
        Set<String> viewed = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT account_id, available_micro_credits, escrow_micro_credits, earnings_micro_credits,
                       payouts_in_flight_micro_credits
                FROM account_balance_view ORDER BY account_id""")) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    String account = row.getString("account_id");
                    viewed.add(account);
                    Map<Bucket, Long> view = new EnumMap<>(Bucket.class);
                    view.put(Bucket.AVAILABLE, row.getLong("available_micro_credits"));
                    view.put(Bucket.ESCROW, row.getLong("escrow_micro_credits"));
                    view.put(Bucket.EARNINGS, row.getLong("earnings_micro_credits"));
                    view.put(Bucket.PAYOUTS_IN_FLIGHT, row.getLong("payouts_in_flight_micro_credits"));
                    compare(account, view);
                }
            }
        }
        Map<String, BigInteger> held = new HashMap<>();
        ledger.snapshot().forEach((entry, amount) -> held.merge(entry.substring(0, entry.lastIndexOf('/')),
                BigInteger.valueOf(amount), BigInteger::add));
        held.keySet().stream()
                .filter(account -> !account.startsWith("<") && !viewed.contains(account))
                .sorted()
                .forEach(account -> problem("read model: account " + account + " holds " + held.get(account)
                        + " micro-credits by the ledger but has no balance row"));
        return viewed.size();
    }

    private void compare(String account, Map<Bucket, Long> view) {
        for (Bucket bucket : Bucket.values()) {
            long expected = ledger.balance(new AccountId(account), bucket).value();
            long shown = view.get(bucket);
            if (expected != shown) {
                problem("read model: " + account + " " + bucket + " shows " + shown + ", the ledger says "
                        + expected);
            }
        }
    }

    private void problem(String problem) {
        problems.add(problem);
    }

    private static String simpleName(@Nullable String type) {
        return type == null ? "?" : type.substring(type.lastIndexOf('.') + 1);
    }

    /** Prints the report; the lines an operator reads after the progress lines. */
    static void print(AuditReport report, PrintStream out) {
        out.println();
        out.println("Audit of the event store");
        out.printf("  events replayed     %,d in %.2f s (%,d events/s)%n", report.events(),
                report.took().toNanos() / 1e9, report.rate());
        out.printf("  hash chain          %,d links verified, head %s%n", report.links(), report.chainHead());
        out.printf("  checkpoints         %,d signatures verified, the latest signed at link %,d%n",
                report.checkpoints(), report.signedLinks());
        if (report.unlinked() > 0) {
            out.printf("                      %,d events not linked (the chain writer has not reached them)%n",
                    report.unlinked());
        }
        out.printf("  ledger              %,d money events, deposits %,d, payouts %,d micro-credits%n",
                report.moneyEvents(), report.deposits(), report.payouts());
        out.printf("  balance read model  %,d accounts compared%n", report.accountsCompared());
        Stream<String> shown = report.problems().stream().limit(PROBLEMS_SHOWN);
        shown.forEach(problem -> out.println("  PROBLEM " + problem));
        if (report.problems().size() > PROBLEMS_SHOWN) {
            out.printf("  ... and %,d more problems%n", report.problems().size() - PROBLEMS_SHOWN);
        }
        out.println(report.clean() ? "RESULT: OK" : "RESULT: FAILED, " + report.problems().size() + " problems");
    }
}
