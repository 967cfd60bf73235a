package io.archipelago.coordinator.axon;

import static io.archipelago.coordinator.Trading.CARGO;
import static io.archipelago.coordinator.Trading.T0;
import static io.archipelago.coordinator.Trading.bid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.archipelago.coordinator.Audit;
import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator nodes on one PostgreSQL, each with its own Axon, caches and in-JVM locks, as the production
 * shape runs them: the unique {@code (aggregate_identifier, sequence_number)} is all that stands between them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesTest {

    private static final AccountId HOST = new AccountId("host-1");
    private static final IslandId ISLAND = new IslandId("island-1");
    private static final int THREADS_PER_NODE = 2;
    private static final int BIDS_PER_THREAD = 40;

    @TempDir
    static Path dataDirA;
    @TempDir
    static Path dataDirB;
    static CoordinatorNode nodeA;
    static CoordinatorNode nodeB;

    @BeforeAll
    static void start() {
        nodeA = CoordinatorNode.start(dataDirA);
        HikariDataSource database = (HikariDataSource) nodeA.bean(DataSource.class);
        nodeB = CoordinatorNode.start(dataDirB, Map.of("DATABASE_URL", database.getJdbcUrl(), "DATABASE_USER",
                "postgres", "DATABASE_PASSWORD", database.getPassword()));
        Trading trading = new Trading(nodeA).openMarket().account(HOST, 0).island(ISLAND, HOST, 1_000, 100, 10_000);
        for (int consumer = 0; consumer < 2 + 2 * THREADS_PER_NODE; consumer++) {
            trading.account(consumer(consumer), 100_000_000);
        }
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        nodeA.close();
    }

    @Test
    @Order(1)
    void theNodeWithAStaleMarketLosesWithAConcurrencyExceptionAndWinsOnItsRetry() {
        CommandGateway noRetriesA = DefaultCommandGateway.builder().commandBus(nodeA.bean(CommandBus.class)).build();
        CommandGateway noRetriesB = DefaultCommandGateway.builder().commandBus(nodeB.bean(CommandBus.class)).build();
        assertThat(nodeA.context().containsBean("embeddedPostgres")).isTrue();
        assertThat(nodeB.context().containsBean("embeddedPostgres")).as("node B uses node A's server").isFalse();

        BidOutcome first = noRetriesB.sendAndWait(bid("stale-b", consumer(0), 150, 10, T0.plusSeconds(1)));
        assertThat(first.status()).isEqualTo(BidOutcome.Status.PLACED);
        String accountBefore = nodeA.replay(Account.class, consumer(1).value(), Account::stateHash);

        // node A still holds the market as it was before node B's bid: its append reuses a sequence number
        assertThatThrownBy(() -> noRetriesA.sendAndWait(bid("stale-a", consumer(1), 150, 10, T0.plusSeconds(2))))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(decisions(nodeA)).doesNotContainKey(new JobId("stale-a"));
        assertThat(nodeA.replay(Account.class, consumer(1).value(), Account::stateHash)).isEqualTo(accountBefore);

        BidOutcome retried = noRetriesA.sendAndWait(bid("stale-a", consumer(1), 150, 10, T0.plusSeconds(2)));
        assertThat(retried.status()).isEqualTo(BidOutcome.Status.PLACED);
        assertThat(decisions(nodeA)).containsEntry(new JobId("stale-a"), 1L);
        Audit.assertContiguousSequences(nodeA);
    }

    @Test
    @Order(2)
    void concurrentWritersOnTwoNodesKeepTheMarketConsistent() throws Exception {
        Map<JobId, BidOutcome> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int thread = 0; thread < 2 * THREADS_PER_NODE; thread++) {
                CoordinatorNode node = thread % 2 == 0 ? nodeA : nodeB;
                AccountId consumer = consumer(2 + thread);
                writers.add(pool.submit(() -> write(node, consumer, outcomes)));
            }
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long retries = nodeA.bean(TransientFailureRetryScheduler.class).retriesScheduled()
                + nodeB.bean(TransientFailureRetryScheduler.class).retriesScheduled();
        assertThat(retries).as("conflicts between the nodes, resolved by retrying").isPositive();

        Map<JobId, Long> decisions = decisions(nodeB);
        assertThat(outcomes).hasSize(2 * THREADS_PER_NODE * BIDS_PER_THREAD);
        assertThat(outcomes.keySet()).allSatisfy(job -> assertThat(decisions).containsEntry(job, 1L));
        assertThat(decisions.values()).containsOnly(1L);
        Audit.assertContiguousSequences(nodeA);
        Audit.assertLedgerMatchesReplayedAccounts(nodeB);

        // a node catches up on its next command: afterwards it holds exactly what a replay gives
        nodeB.send(new ClearMarketRate(CARGO, T0.plusSeconds(600)));
        assertThat(nodeB.read(Market.class, CARGO.value(), Market::stateHash))
                .isEqualTo(nodeB.replay(Market.class, CARGO.value(), Market::stateHash));
        nodeA.send(new ClearMarketRate(CARGO, T0.plusSeconds(601)));
        assertThat(nodeA.read(Market.class, CARGO.value(), Market::stateHash))
                .isEqualTo(nodeA.replay(Market.class, CARGO.value(), Market::stateHash));
        Audit.assertContiguousSequences(nodeA);
    }

    /** One consumer's bids through one node's gateway, with every other placed job completed right away. */
    private static void write(CoordinatorNode node, AccountId consumer, Map<JobId, BidOutcome> outcomes) {
        for (int i = 0; i < BIDS_PER_THREAD; i++) {
            BidOutcome outcome = node.send(bid(consumer + "-" + i, consumer, 150, 10, T0.plusSeconds(10 + i)));
            outcomes.put(outcome.jobId(), outcome);
            if (outcome.status() == BidOutcome.Status.PLACED && i % 2 == 0) {
                node.send(new CompleteJob(CARGO, outcome.jobId(), 5, T0.plusSeconds(10 + i)));
            }
        }
    }

    private static Map<JobId, Long> decisions(CoordinatorNode node) {
        return node.payloads().stream()
                .map(payload -> payload instanceof BidSubmitted submitted ? submitted.jobId()
                        : payload instanceof BidRejected rejected ? rejected.jobId() : null)
                .filter(job -> job != null)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static AccountId consumer(int number) {
        return new AccountId("consumer-" + number);
    }
}
