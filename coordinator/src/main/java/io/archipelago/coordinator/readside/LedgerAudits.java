package io.archipelago.coordinator.readside;

import io.archipelago.projections.chain.ChainCheckpoint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditor's replay run on a live node, for the operator ({@code POST /ledger/audits}), and its last result
 * ({@code GET /ledger/audits/last}): the same {@link LedgerAudit} as {@code --audit}, over one consistent snapshot,
 * with this node's checkpoints and public key as evidence. Unlike a stopped coordinator's, a live chain may trail the
 * newest events, so up to {@code archipelago.audit.live-max-unlinked} unlinked events are no problem.
 */
@RestController
final class LedgerAudits {

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final Path dataDir;
    private final long maxUnlinked;
    private final Clock clock;
    private final AtomicReference<@Nullable AuditView> last = new AtomicReference<>();

    LedgerAudits(DataSource dataSource, JdbcClient jdbc, @Value("${archipelago.data-dir:./data}") Path dataDir,
                 @Value("${archipelago.audit.live-max-unlinked:1000000}") long maxUnlinked, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.dataDir = dataDir;
        this.maxUnlinked = maxUnlinked;
        this.clock = clock;
    }

    @PostMapping("/ledger/audits")
    synchronized AuditView audit() {
        AuditEvidence evidence = AuditEvidence.of(dataDir, null, null, maxUnlinked);
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        AuditReport report = new LedgerAudit(dataSource, evidence, silent).run();
        BigInteger balances = jdbc.sql("""
                SELECT COALESCE(SUM(CAST(available_micro_credits AS NUMERIC) + escrow_micro_credits
                    + earnings_micro_credits + payouts_in_flight_micro_credits), 0) FROM account_balance_view""")
                .query(BigInteger.class).single();
        List<ChainCheckpoint> checkpoints = evidence.checkpoints();
        AuditView view = new AuditView(clock.instant(), report.clean(), report.events(), report.links(),
                report.chainHead(), checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1),
                report.checkpoints(), report.signedLinks(), report.unlinked(), report.moneyEvents(),
                report.deposits(), report.payouts(), balances,
                balances.equals(report.deposits().subtract(report.payouts())), report.accountsCompared(),
                report.problems(), report.took().toMillis());
        last.set(view);
        return view;
    }

    @GetMapping("/ledger/audits/last")
    ResponseEntity<?> lastAudit() {
        AuditView view = last.get();
        if (view == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(
                    HttpStatus.NOT_FOUND, "no audit has run on this node since it started"));
        }
        return ResponseEntity.ok(view);
    }

    /**
     * An audit's result: whether it is clean, what it replayed and verified (the chain's head as it recomputed it,
     * the latest signed checkpoint of this node's file), the ledger's deposits and payouts and the sum of every
     * account's balances in the read model, which must equal deposits minus payouts ({@code conserved}), and each
     * problem. Money in micro-credits.
     */
    record AuditView(Instant at, boolean clean, long events, long links, String chainHead,
                     @Nullable ChainCheckpoint latestCheckpoint, long checkpointsVerified, long signedLinks,
                     long unlinked, long moneyEvents, BigInteger depositsMicroCredits, BigInteger payoutsMicroCredits,
                     BigInteger balancesMicroCredits, boolean conserved, int accountsCompared, List<String> problems,
                     long tookMillis) {
    }
}
