package io.archipelago.coordinator.readside;

import static io.archipelago.coordinator.Trading.CARGO;
import static io.archipelago.coordinator.Trading.T0;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.RecordPayoutPaid;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;

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

    private final CommandGateway gateway;
    private final Set<Integer> placed = new HashSet<>();

    ReadSideWorkload(CoordinatorNode node) {
        this(node.gateway());
    }

    ReadSideWorkload(CommandGateway gateway) {
        this.gateway = gateway;
    }

    /** The market, accounts with credits, and two online Islands with asks. */
    ReadSideWorkload open() {
        send(new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, Trading.PUBLISHER, Trading.ROYALTY, T0));
        CONSUMERS.forEach(consumer -> account(consumer, 1_000_000_000));
        account(HOST, 0);
        account(OTHER_HOST, 0);
        island(new IslandId("island-1"), HOST, 100, 20_000);
        island(new IslandId("island-2"), OTHER_HOST, 120, 35_000);
        return this;
    }

    private void account(AccountId account, long credits) {
        send(new OpenAccount(account, Trading.GERMANY, T0));
        if (credits > 0) {
            send(new DepositCredits(account, "deposit-" + account, MicroCredits.of(credits), T0));
        }
    }

    private void island(IslandId island, AccountId host, long askPrice, long rttMicros) {
        send(new RegisterIsland(island, host, Trading.GERMANY, Set.of(CARGO), 64, AvailabilitySchedule.ALWAYS, true,
                T0));
        send(new BringIslandOnline(island, T0));
        send(new RecordIslandRtt(island, rttMicros, T0));
        send(new PlaceAsk(CARGO, island, PricePerUnit.of(askPrice), T0));
    }

    private <R> R send(Object command) {
        return gateway.sendAndWait(command, 60, TimeUnit.SECONDS);
    }

    /** Jobs {@code from} (inclusive) to {@code to} (exclusive), each bid, started and finished. */
    ReadSideWorkload jobs(int from, int to) {
        for (int n = from; n < to; n++) {
            JobId job = new JobId("job-" + n);
            BidOutcome outcome = send(Trading.bid(job.value(), CONSUMERS.get(n % CONSUMERS.size()), 300,
                    20, at(n)));
            if (outcome.status() != BidOutcome.Status.PLACED) {
                continue;
            }
            placed.add(n);
            send(new StartJob(CARGO, job, 40_000 + n, at(n)));
            if (n % 5 == 4) {
                send(new FailJob(CARGO, job, "the Island stopped answering", at(n)));
            } else {
                send(new CompleteJob(CARGO, job, 1 + n % 20, at(n)));
            }
            if (n % 10 == 9) {
                send(new ClearMarketRate(CARGO, at(n)));
            }
        }
        return this;
    }

    /** Bids that rest in the book: no Island serves Switzerland. */
    ReadSideWorkload resting(int count, int second) {
        for (int n = 0; n < count; n++) {
            send(Trading.bid("resting-" + n, CONSUMERS.get(0), 200 + n, 10, JurisdictionPolicy.ch(), at(second)));
        }
        return this;
    }

    /** Pays out {@code amount} of a host's earnings. */
    ReadSideWorkload payout(AccountId host, String payoutId, long amount, int second) {
        send(new RequestPayout(host, payoutId, MicroCredits.of(amount), at(second)));
        send(new RecordPayoutPaid(host, payoutId, at(second)));
        return this;
    }

    int placedJobs() {
        return placed.size();
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}
