package io.archipelago.coordinator.readside;

import static io.archipelago.coordinator.Trading.CARGO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.StartJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export lag under load, run by {@code scripts/bench-readside-export.sh} (its name keeps it out of the test suite):
 * {@code BENCH_THREADS} clients each bid, start and complete jobs as fast as the coordinator answers, for
 * {@code BENCH_SECONDS}, on a durable PostgreSQL and the embedded Kafka; the exporter's timer measures, per event,
 * from the event's timestamp to Kafka's acknowledgement. Prints the events per second and the lag's p50 and p99.
 */
class ExportLagBench {

    @TempDir
    static Path dataDir;

    @Test
    void exportLagUnderLoad() throws Exception {
        int threads = Integer.parseInt(ReadSideNodes.setting("BENCH_THREADS", "8"));
        int seconds = Integer.parseInt(ReadSideNodes.setting("BENCH_SECONDS", "30"));
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.putAll(ReadSideNodes.benchProperties());
        settings.put("archipelago.postgres.durable",
                Boolean.parseBoolean(ReadSideNodes.setting("BENCH_DURABLE", "true")));
        settings.put("archipelago.kafka.embedded", true);
        settings.put("archipelago.kafka.export.enabled", true);
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            new ReadSideWorkload(node).open();
            long before = events(node);
            AtomicInteger jobs = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService clients = Executors.newFixedThreadPool(threads);
            List<Future<?>> running = new ArrayList<>();
            long started = System.nanoTime();
            for (int client = 0; client < threads; client++) {
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        int n = jobs.incrementAndGet();
                        JobId job = new JobId("load-" + n);
                        BidOutcome outcome = node.send(Trading.bid(job.value(),
                                ReadSideWorkload.CONSUMERS.get(n % ReadSideWorkload.CONSUMERS.size()), 300, 20,
                                ReadSideWorkload.at(n % 3600)));
                        if (outcome.status() == BidOutcome.Status.PLACED) {
                            node.send(new StartJob(CARGO, job, 30_000, ReadSideWorkload.at(n % 3600)));
                            node.send(new CompleteJob(CARGO, job, 1 + n % 20, ReadSideWorkload.at(n % 3600)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
            clients.shutdown();
            double took = (System.nanoTime() - started) / 1e9;
            long produced = events(node) - before;
            Timer lag = node.bean(MeterRegistry.class).get("archipelago.export.lag").timer();
            await().atMost(Duration.ofMinutes(5)).until(() -> node.bean(MeterRegistry.class)
                    .get("archipelago.export.events").counter().count() >= events(node));
            System.out.printf("bench: %d clients, %,d jobs, %,d events in %.1f s = %,.0f events/s (durable store)%n",
                    threads, jobs.get(), produced, took, produced / took);
            for (ValueAtPercentile percentile : lag.takeSnapshot().percentileValues()) {
                System.out.printf("bench: export lag p%.0f = %.1f ms%n", percentile.percentile() * 100,
                        percentile.value(TimeUnit.MILLISECONDS));
            }
            System.out.printf("bench: export lag max = %.1f ms over %,d events%n", lag.max(TimeUnit.MILLISECONDS),
                    lag.count());
            assertThat(lag.count()).isGreaterThanOrEqualTo(produced);
        }
    }

    private static long events(CoordinatorNode node) {
        return node.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }
}
