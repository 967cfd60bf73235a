package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.archipelago.command.market.BidBatcher;
import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.SubmitBid;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side's cost and lag at the durable bid benchmark's rate, run by {@code scripts/bench-readside-export.sh}
 * (its name keeps it out of the test suite). One coordinator on a durable embedded PostgreSQL with the embedded Kafka
 * and the export on, no bridge; 100 Islands with 10,000 slots each and 1,000 funded consumers, so that every bid is
 * placed and none completes (as in {@code DurableBidBenchmark}). Bids go through the {@link BidBatcher} as the HTTP
 * door hands them over, open loop at {@code BENCH_RATE} bids/s (5,816: that benchmark's best) for
 * {@code BENCH_SECONDS}, twice: with every event processor running (read side on), then with all of them stopped
 * (read side off, the anchor). Prints the placements per second achieved, the coordinator JVM's CPU per placement in
 * each phase, and, with the read side on, the lag of the projections and of the Kafka export: sampled every 10 ms as
 * the time until the processor's slowest segment reaches the store's head of that moment, and the exporter's own
 * {@code archipelago.export.lag} timer (event time to Kafka's acknowledgement).
 */
class ReadSideCostBench {

    private static final int ISLANDS = 100;
    private static final int CONSUMERS = 1_000;
    private static final long SAMPLE_MILLIS = 10;

    @TempDir
    static Path dataDir;

    @Test
    void readSideAtTheDurableBenchmarksRate() throws Exception {
        double rate = Double.parseDouble(ReadSideNodes.setting("BENCH_RATE", "5816"));
        int seconds = Integer.parseInt(ReadSideNodes.setting("BENCH_SECONDS", "30"));
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.putAll(ReadSideNodes.benchProperties());
        settings.put("archipelago.postgres.durable",
                Boolean.parseBoolean(ReadSideNodes.setting("BENCH_DURABLE", "true")));
        settings.put("archipelago.kafka.embedded", true);
        settings.put("archipelago.kafka.export.enabled", true);
        settings.put("logging.level.org.apache.kafka", "WARN");
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            Trading trading = new Trading(node).openMarket();
            for (int island = 0; island < ISLANDS; island++) {
                AccountId host = new AccountId("host-" + island);
                trading.account(host, 0).island(new IslandId("island-" + island), host, 10_000, 100 + island % 7,
                        10_000 + 100L * island);
            }
            for (int consumer = 0; consumer < CONSUMERS; consumer++) {
                trading.account(consumer(consumer), 1_000_000_000L);
            }
            ReadSideNodes.awaitCaughtUp(node);
            BidBatcher batcher = node.bean(BidBatcher.class);
            Bids bids = new Bids();
            System.out.printf("bench: load average before %s; %,.0f bids/s for %d s per phase, durable store%n",
                    loadAverage(), rate, seconds);

            openLoop(batcher, bids, rate / 2, 5);
            try (LagSampler warmUp = new LagSampler(node, "projections")) {
                long waited = System.nanoTime();
                System.out.printf("bench: after a 5 s warm-up at half the rate the projections %s in %.1f s%n",
                        warmUp.awaitCaughtUp() ? "caught up" : "had not caught up", (System.nanoTime() - waited) / 1e9);
            }
            Phase on;
            try (LagSampler projections = new LagSampler(node, "projections");
                 LagSampler export = new LagSampler(node, "kafka-export")) {
                Timer exportLag = node.bean(MeterRegistry.class).get("archipelago.export.lag").timer();
                on = openLoop(batcher, bids, rate, seconds);
                projections.awaitCaughtUp();
                export.awaitCaughtUp();
                on.print("read side on ");
                projections.print();
                export.print();
                for (ValueAtPercentile percentile : exportLag.takeSnapshot().percentileValues()) {
                    System.out.printf("bench:   archipelago.export.lag p%.0f = %.1f ms (its window: the last two"
                            + " minutes)%n", percentile.percentile() * 100, percentile.value(TimeUnit.MILLISECONDS));
                }
            }
            List<String> stopped = new ArrayList<>();
            node.bean(Configuration.class).eventProcessingConfiguration().eventProcessors().forEach((name, p) -> {
                p.shutDown();
                stopped.add(name);
            });
            Phase off = openLoop(batcher, bids, rate, seconds);
            off.print("read side off");
            System.out.printf("bench:   stopped for it: every event processor %s%n", stopped);
            System.out.printf("bench: the read side's share of the coordinator's CPU per placement: %.0f%%;"
                    + " load average after %s%n", 100 * (on.cpuPerPlacement() - off.cpuPerPlacement())
                    / on.cpuPerPlacement(), loadAverage());
            assertThat(on.placed()).isPositive();
        }
    }

    private static AccountId consumer(int n) {
        return new AccountId("consumer-" + n);
    }

    /** Bids on a fixed schedule whatever the answers; the phase ends when every one has its outcome. */
    private static Phase openLoop(BidBatcher batcher, Bids bids, double rate, int seconds) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long interval = (long) (1e9 / rate);
        long count = (long) (rate * seconds);
        LongAdder placed = new LongAdder();
        List<CompletableFuture<?>> pending = new ArrayList<>((int) count);
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long scheduled = start + i * interval;
            for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            pending.add(batcher.submit(bids.next()).whenComplete((outcome, failure) -> {
                if (failure == null && outcome.status() == BidOutcome.Status.PLACED) {
                    placed.increment();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        double took = (System.nanoTime() - start) / 1e9;
        return new Phase(rate, count, placed.sum(), took, os.getProcessCpuTime() - cpuBefore);
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException unreadable) {
            return "unknown";
        }
    }

    /** One phase's outcome: bids offered, placed, how long until the last answer, the JVM's CPU time meanwhile. */
    private record Phase(double rate, long offered, long placed, double seconds, long cpuNanos) {

        double cpuPerPlacement() {
            return cpuNanos / 1e3 / Math.max(1, placed);
        }

        void print(String label) {
            System.out.printf("bench: %s: %,d bids offered at %,.0f/s, %,d placed in %.1f s = %,.0f placements/s;"
                    + " coordinator JVM CPU %.1f s = %.0f us per placement%n", label, offered, rate, placed, seconds,
                    placed / seconds, cpuNanos / 1e9, cpuPerPlacement());
        }
    }

    /** Bids of the consumers in turn, each a new job. */
    private static final class Bids {

        private final AtomicLong next = new AtomicLong();

        SubmitBid next() {
            long n = next.incrementAndGet();
            return Trading.bid("bench-" + n, consumer((int) (n % CONSUMERS)), 1_000, 10,
                    ReadSideWorkload.at((int) (n % 3600)));
        }
    }

    /**
     * The time a processor takes to reach the store's head: every {@value #SAMPLE_MILLIS} ms it notes the head and
     * the processor's slowest segment; a sample's lag is the time until a later sample's segment reached its head.
     */
    private static final class LagSampler implements AutoCloseable {

        private final Configuration axon;
        private final String processor;
        private final List<long[]> samples = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        LagSampler(CoordinatorNode node, String processor) {
            this.axon = node.bean(Configuration.class);
            this.processor = processor;
            this.thread = new Thread(this::sample, "lag-" + processor);
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            while (running.get()) {
                TrackingToken head = axon.eventStore().createHeadToken();
                long at = System.nanoTime();
                long position = position();
                synchronized (samples) {
                    samples.add(new long[] {at, head == null ? 0 : head.position().orElse(0), position});
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS));
            }
        }

        private long position() {
            return axon.eventProcessingConfiguration().eventProcessor(processor, StreamingEventProcessor.class)
                    .map(found -> found.processingStatus().values().stream()
                            .mapToLong(segment -> segment.getCurrentPosition().orElse(-1)).min().orElse(-1))
                    .orElse(-1L);
        }

        /** Whether the processor reached the store's head within two minutes. */
        boolean awaitCaughtUp() {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                long[] last;
                synchronized (samples) {
                    last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
                }
                if (last != null && last[2] >= last[1] && samples.size() > 1) {
                    return true;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            System.out.printf("bench:   %s had not caught up after two minutes%n", processor);
            return false;
        }

        void print() {
            long[] lags;
            synchronized (samples) {
                List<Long> found = new ArrayList<>();
                int reached = 0;
                for (int i = 0; i < samples.size(); i++) {
                    reached = Math.max(reached, i);
                    while (reached < samples.size() && samples.get(reached)[2] < samples.get(i)[1]) {
                        reached++;
                    }
                    // a sample the processor never caught up with counts as lagging until the last sample
                    found.add(samples.get(Math.min(reached, samples.size() - 1))[0] - samples.get(i)[0]);
                }
                lags = found.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            if (lags.length == 0) {
                System.out.printf("bench:   %s lag: no samples%n", processor);
                return;
            }
            System.out.printf("bench:   %s lag to the store's head, %,d samples: p50 %.0f ms, p99 %.0f ms,"
                    + " max %.0f ms%n", processor, lags.length, lags[lags.length / 2] / 1e6,
                    lags[Math.min(lags.length - 1, (int) (lags.length * 0.99))] / 1e6, lags[lags.length - 1] / 1e6);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
