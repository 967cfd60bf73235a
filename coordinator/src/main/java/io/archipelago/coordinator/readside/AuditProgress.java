package io.archipelago.coordinator.readside;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The audit's progress, about once a second: events replayed of those in the store, the rate, the time left at that
 * rate and the problems so far. On a terminal it redraws one line with a bar; elsewhere (a log, a test) it prints one
 * line per report.
 */
final class AuditProgress {

    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);
    private static final int BAR = 30;

    private final PrintStream out;
    private final boolean terminal;
    private long total;
    private long started;
    private long last;
    private boolean drawn;

    AuditProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on standard error, redrawn in place when the auditor runs on a terminal. */
    static AuditProgress onStandardError() {
        return new AuditProgress(System.err, System.console() != null);
    }

    void start(long events) {
        total = events;
        started = System.nanoTime();
        last = started;
        out.printf("audit: %,d events in the store%n", events);
    }

    /** Cheap when called per event: it looks at the clock and prints at most once a second. */
    void at(long events, int problems) {
        long now = System.nanoTime();
        if (now - last < INTERVAL) {
            return;
        }
        last = now;
        double seconds = (now - started) / 1e9;
        double rate = events / seconds;
        long left = Math.max(0, total - events);
        String eta = rate > 0 ? String.format("ETA %s", duration(left / rate)) : "ETA ?";
        double done = total == 0 ? 1 : Math.min(1, (double) events / total);
        if (terminal) {
            int filled = (int) Math.round(done * BAR);
            out.printf("\raudit: [%s%s] %3.0f%% %,d of %,d events, %,.0f events/s, %s, %d problems ",
                    "#".repeat(filled), ".".repeat(BAR - filled), done * 100, events, total, rate, eta, problems);
            drawn = true;
        } else {
            out.printf("audit: %,d of %,d events (%.0f%%, %,.0f events/s, %s), %d problems%n", events, total,
                    done * 100, rate, eta, problems);
        }
    }

    /** Ends the redrawn line, so what follows starts on a line of its own. */
    void finish() {
        if (drawn) {
            out.println();
            drawn = false;
        }
        out.flush();
    }

    private static String duration(double seconds) {
        long whole = Math.round(seconds);
        return whole >= 3600 ? String.format("%dh%02dm", whole / 3600, whole / 60 % 60)
                : whole >= 60 ? String.format("%dm%02ds", whole / 60, whole % 60) : whole + " s";
    }
}
