package io.archipelago.coordinator.readside;

import static io.archipelago.coordinator.Trading.CARGO;
import static io.archipelago.coordinator.Trading.T0;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.account.api.RecordPayoutPaid;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.JobId;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Trading that touches every read model and every kind of money event: a market, three consumers, two hosts with an
 * Island each; jobs placed, started and completed (every fifth one fails and is refunded); market rates cleared;
 * earnings paid out. Job {@code n} runs at {@code T0 + n} seconds.
 */
final class ReadSideWorkload {

    static final List<AccountId> CONSUMERS = List.of(new AccountId("consumer-1"), new AccountId("consumer-2"),
            new AccountId("consumer-3"));
    static final AccountId HOST = new AccountId("host-1");
    static final AccountId OTHER_HOST = new AccountId("host-2");

    private final CoordinatorNode node;
    private final Trading trading;
    private final Set<Integer> placed = new HashSet<>();

    ReadSideWorkload(CoordinatorNode node) {
        this.node = node;
        this.trading = new Trading(node);
    }

    /** The market, accounts with credits, and two online Islands with asks. */
    ReadSideWorkload open() {
        trading.openMarket();
        CONSUMERS.forEach(consumer -> trading.account(consumer, 1_000_000_000));
        trading.account(HOST, 0).account(OTHER_HOST, 0)
                .island(new IslandId("island-1"), HOST, 64, 100, 20_000)
                .island(new IslandId("island-2"), OTHER_HOST, 64, 120, 35_000);
        return this;
    }

    /** Jobs {@code from} (inclusive) to {@code to} (exclusive), each bid, started and finished. */
    ReadSideWorkload jobs(int from, int to) {
        for (int n = from; n < to; n++) {
            JobId job = new JobId("job-" + n);
            BidOutcome outcome = trading.submit(Trading.bid(job.value(), CONSUMERS.get(n % CONSUMERS.size()), 300,
                    20, at(n)));
            if (outcome.status() != BidOutcome.Status.PLACED) {
                continue;
            }
            placed.add(n);
            node.send(new StartJob(CARGO, job, 40_000 + n, at(n)));
            if (n % 5 == 4) {
                node.send(new FailJob(CARGO, job, "the Island stopped answering", at(n)));
            } else {
                node.send(new CompleteJob(CARGO, job, 1 + n % 20, at(n)));
            }
            if (n % 10 == 9) {
                node.send(new ClearMarketRate(CARGO, at(n)));
            }
        }
        return this;
    }

    /** Pays out {@code amount} of a host's earnings. */
    ReadSideWorkload payout(AccountId host, String payoutId, long amount, int second) {
        node.send(new RequestPayout(host, payoutId, MicroCredits.of(amount), at(second)));
        node.send(new RecordPayoutPaid(host, payoutId, at(second)));
        return this;
    }

    int placedJobs() {
        return placed.size();
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}
