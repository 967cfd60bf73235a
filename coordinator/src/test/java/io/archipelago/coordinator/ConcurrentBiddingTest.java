package io.archipelago.coordinator;

import static io.archipelago.coordinator.Trading.CARGO;
import static io.archipelago.coordinator.Trading.T0;
import static io.archipelago.coordinator.Trading.bid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads submitting to one market at once, while jobs complete and Islands report new round-trip times: the
 * market serialises them, nothing is lost or doubled, and the money adds up.
 */
class ConcurrentBiddingTest {

    private static final int THREADS = 8;
    private static final int BIDS_PER_THREAD = 200;
    private static final int BATCH = 5;
    private static final int ISLANDS = 4;
    private static final int PROBE_EVERY = 50;
    private static final AccountId POOR = new AccountId("consumer-poor");

    @TempDir
    static Path dataDir;
    static CoordinatorNode node;

    @BeforeAll
    static void start() {
        node = CoordinatorNode.start(dataDir);
        Trading trading = new Trading(node).openMarket().account(POOR, 1_000);
        for (int thread = 0; thread < THREADS; thread++) {
            trading.account(consumer(thread), 100_000_000);
        }
        for (int island = 0; island < ISLANDS; island++) {
            trading.account(host(island), 0)
                    .island(island(island), host(island), 1_000, 100 + 10L * island, 10_000 + 1_000L * island);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void concurrentSubmittersNeverCorruptTheMarket() throws Exception {
        Map<JobId, BidOutcome> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean bidding = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            // an Island's new round-trip time locks the Island, then its market; a completing job locks the market,
            // then the Island: opposite orders, so Axon's deadlock detection and the retry scheduler get work
            Future<Integer> prober = pool.submit(() -> probe(bidding, outcomes));
            List<Future<?>> submitters = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int worker = thread;
                submitters.add(pool.submit(() -> submit(worker, outcomes)));
            }
            for (Future<?> submitter : submitters) {
                submitter.get(5, TimeUnit.MINUTES);
            }
            bidding.set(false);
            assertThat(prober.get(1, TimeUnit.MINUTES)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        List<Object> payloads = node.payloads();
        Map<JobId, Long> decisions = payloads.stream()
                .map(ConcurrentBiddingTest::decidedJob)
                .filter(job -> job != null)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(decisions).hasSize(THREADS * BIDS_PER_THREAD);
        assertThat(decisions).allSatisfy((job, count) -> assertThat(count).as(job.value()).isEqualTo(1L));
        assertThat(decisions.keySet()).isEqualTo(outcomes.keySet());

        Map<JobId, BidOutcome.Status> told = new HashMap<>();
        outcomes.forEach((job, outcome) -> told.put(job, outcome.status()));
        assertThat(told).containsValues(BidOutcome.Status.PLACED, BidOutcome.Status.RESTING,
                BidOutcome.Status.REJECTED);
        for (Object payload : payloads) {
            if (payload instanceof BidRejected rejected) {
                assertThat(outcomes.get(rejected.jobId()))
                        .isEqualTo(BidOutcome.rejected(rejected.jobId(), rejected.reason()));
            }
            if (payload instanceof JobPlaced placed && told.get(placed.jobId()) == BidOutcome.Status.PLACED) {
                assertThat(outcomes.get(placed.jobId()).islandId()).isEqualTo(placed.islandId());
            }
        }
        Audit.assertContiguousSequences(node);
        Audit.assertLedgerMatchesAccounts(node);
        assertThat(node.replay(Market.class, CARGO.value(), Market::stateHash))
                .isEqualTo(node.read(Market.class, CARGO.value(), Market::stateHash));
    }

    /**
     * One consumer's bids, a batch of {@value BATCH} now and then; every tenth from a consumer who cannot pay,
     * every seventh limited to Switzerland where no Island runs (so it rests), and every third placed job completed.
     */
    private static void submit(int worker, Map<JobId, BidOutcome> outcomes) {
        List<SubmitBid> batch = new ArrayList<>();
        for (int i = 0; i < BIDS_PER_THREAD; i++) {
            Instant at = T0.plusSeconds(60 + i);
            String job = "job-" + worker + "-" + i;
            SubmitBid bid = i % 10 == 0 ? bid(job, POOR, 150, 100, at)
                    : i % 7 == 0 ? bid(job, consumer(worker), 150, 100, JurisdictionPolicy.ch(), at)
                    : bid(job, consumer(worker), 150, 100, at);
            List<BidOutcome> decided = new ArrayList<>();
            if (i % 20 < BATCH) {
                batch.add(bid);
                if (batch.size() == BATCH) {
                    decided.addAll(node.<List<BidOutcome>>send(new SubmitBids(CARGO, List.copyOf(batch))));
                    batch.clear();
                }
            } else {
                decided.add(node.send(bid));
            }
            for (BidOutcome outcome : decided) {
                outcomes.put(outcome.jobId(), outcome);
                if (outcome.status() == BidOutcome.Status.PLACED && outcome.jobId().value().hashCode() % 3 == 0) {
                    node.send(new CompleteJob(CARGO, outcome.jobId(), 40, at.plusMillis(500)));
                }
            }
        }
        assertThat(batch).isEmpty();
    }

    /** A new round-trip time for one of the Islands after every {@value PROBE_EVERY} decided bids. */
    private static int probe(AtomicBoolean bidding, Map<JobId, BidOutcome> outcomes) {
        int probes = 0;
        while (bidding.get()) {
            IslandId island = island(probes % ISLANDS);
            node.send(new RecordIslandRtt(island, 5_000 + probes, T0.plusSeconds(60)));
            probes++;
            int decided = probes * PROBE_EVERY;
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> outcomes.size() >= decided || !bidding.get());
        }
        return probes;
    }

    private static JobId decidedJob(Object payload) {
        if (payload instanceof BidSubmitted submitted) {
            return submitted.jobId();
        }
        if (payload instanceof BidRejected rejected) {
            return rejected.jobId();
        }
        return null;
    }

    private static AccountId consumer(int thread) {
        return new AccountId("consumer-" + thread);
    }

    private static AccountId host(int island) {
        return new AccountId("host-" + island);
    }

    private static IslandId island(int island) {
        return new IslandId("island-" + island);
    }
}
