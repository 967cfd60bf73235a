package io.archipelago.coordinator.readside;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * What the auditor found: the events replayed, the links of the hash chain verified (and its head), the signed
 * checkpoints verified and the links the latest of them covers, the events not yet linked, the money events booked,
 * deposits and payouts, the accounts compared with the balance read model, and every problem. Clean when there is
 * no problem. Deposits and payouts are exact sums, which no amount overflows.
 */
record AuditReport(long events, long links, String chainHead, long checkpoints, long signedLinks, long unlinked,
                   long moneyEvents, BigInteger deposits, BigInteger payouts, int accountsCompared,
                   List<String> problems, Duration took) {

    boolean clean() {
        return problems.isEmpty();
    }

    long rate() {
        return events * 1_000_000_000L / Math.max(1, took.toNanos());
    }
}
