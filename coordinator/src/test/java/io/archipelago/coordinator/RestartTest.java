package io.archipelago.coordinator;

import static io.archipelago.coordinator.Trading.CARGO;
import static io.archipelago.coordinator.Trading.PUBLISHER;
import static io.archipelago.coordinator.Trading.T0;
import static io.archipelago.coordinator.Trading.bid;
import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.StartJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the coordinator and starting it again on the same data directory loses nothing. */
class RestartTest {

    private static final AccountId CONSUMER = new AccountId("consumer-1");
    private static final AccountId HOST = new AccountId("host-1");
    private static final IslandId ISLAND = new IslandId("island-1");
    private static final List<AccountId> ACCOUNTS = List.of(CONSUMER, HOST, PUBLISHER, AccountId.PLATFORM);

    @TempDir
    static Path dataDir;

    @Test
    void restartRebuildsIdenticalStateFromTheDatabaseAndTradingContinues() throws IOException {
        Map<String, Object> sameServer = Map.of("archipelago.postgres.port", freePort(),
                "archipelago.postgres.durable", true);
        State before;
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, sameServer)) {
            Trading trading = new Trading(node).openMarket()
                    .account(CONSUMER, 1_000_000)
                    .account(HOST, 0)
                    .island(ISLAND, HOST, 4, 100, 20_000);
            assertThat(trading.submit(bid("job-1", CONSUMER, 200, 50, T0.plusSeconds(1))))
                    .isEqualTo(BidOutcome.placed(new JobId("job-1"), ISLAND));
            node.send(new StartJob(CARGO, new JobId("job-1"), 80_000, T0.plusSeconds(2)));
            node.send(new CompleteJob(CARGO, new JobId("job-1"), 30, T0.plusSeconds(3)));
            assertThat(trading.submit(bid("job-2", CONSUMER, 200, 50, T0.plusSeconds(4))).status())
                    .isEqualTo(BidOutcome.Status.PLACED);
            assertThat(trading.submit(bid("job-3", CONSUMER, 200, 50, JurisdictionPolicy.ch(), T0.plusSeconds(5))))
                    .isEqualTo(BidOutcome.resting(new JobId("job-3")));

            assertThat(node.jdbc().queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(node.jdbc().queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            before = State.of(node);
            assertThat(node.replay(Market.class, CARGO.value(), Market::stateHash))
                    .as("the cached market equals a replay of its events")
                    .isEqualTo(before.hashes().get("market"));
            assertThat(before.balances().get("host-1/EARNINGS")).isEqualTo(30L * 100);
            assertThat(before.balances().get("consumer-1/ESCROW")).isEqualTo(2L * 200 * 50);
        }

        try (CoordinatorNode node = CoordinatorNode.start(dataDir, sameServer)) {
            State after = State.of(node);
            assertThat(after).isEqualTo(before);

            node.send(new CompleteJob(CARGO, new JobId("job-2"), 50, T0.plusSeconds(6)));
            BidOutcome fourth = new Trading(node).submit(bid("job-4", CONSUMER, 200, 10, T0.plusSeconds(7)));
            assertThat(fourth).isEqualTo(BidOutcome.placed(new JobId("job-4"), ISLAND));
            Ledger ledger = Audit.assertLedgerMatchesAccounts(node);
            assertThat(ledger.balance(HOST, Bucket.EARNINGS).value())
                    .isEqualTo((30L + 50) * 100);
            assertThat(State.of(node).events()).isGreaterThan(before.events());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** What a restart must preserve: every aggregate's state digest, every balance, the number of events. */
    private record State(Map<String, String> hashes, Map<String, Long> balances, int events) {

        static State of(CoordinatorNode node) {
            Map<String, String> hashes = new TreeMap<>();
            hashes.put("market", node.read(Market.class, CARGO.value(), Market::stateHash));
            hashes.put("island", node.read(Island.class, ISLAND.value(), Island::stateHash));
            for (AccountId account : ACCOUNTS) {
                hashes.put(account.value(), node.read(Account.class, account.value(), Account::stateHash));
            }
            Map<String, Long> balances = Audit.assertLedgerMatchesAccounts(node).snapshot();
            return new State(hashes, balances, node.payloads().size());
        }
    }
}
