package io.archipelago.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * A small exchange driven through the real command gateway: accounts, one market, an Island per host, and jobs that
 * leave a host with earnings. Every id is derived from a prefix so tests sharing one event store stay apart.
 */
final class TestExchange {

    static final Country GERMANY = Country.of("DE");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final CommandGateway commands;
    private final EventStore events;

    TestExchange(CommandGateway commands, EventStore events) {
        this.commands = commands;
        this.events = events;
    }

    void open(AccountId account) {
        commands.sendAndWait(new OpenAccount(account, GERMANY, T0));
    }

    /**
     * Leaves {@code host} with {@code credits} whole credits of earnings: a consumer deposits, bids, and the host's
     * Island runs the job at 1 credit per unit for {@code credits} units.
     */
    void hostEarns(String prefix, AccountId host, long credits) {
        CargoType cargo = new CargoType("llm." + prefix.toLowerCase());
        AccountId consumer = new AccountId(prefix + "-consumer");
        IslandId island = new IslandId(prefix + "-island");
        JobId job = new JobId(prefix + "-job");
        commands.sendAndWait(new RegisterCargo(cargo, CargoUnit.THOUSAND_TOKENS, new AccountId(prefix + "-publisher"),
                PricePerUnit.of(10), T0));
        open(consumer);
        commands.sendAndWait(new DepositCredits(consumer, prefix + "-deposit", MicroCredits.credits(credits * 3), T0));
        commands.sendAndWait(new RegisterIsland(island, host, GERMANY, Set.of(cargo), 1, AvailabilitySchedule.ALWAYS,
                true, T0));
        commands.sendAndWait(new BringIslandOnline(island, T0));
        commands.sendAndWait(new RecordIslandRtt(island, 1_000, T0));
        commands.sendAndWait(new PlaceAsk(cargo, island, PricePerUnit.of(MicroCredits.PER_CREDIT), T0));
        commands.sendAndWait(new SubmitBid(cargo, job, consumer, PricePerUnit.of(2 * MicroCredits.PER_CREDIT),
                credits, null, null, null, false, Duration.ofHours(1), T0));
        commands.sendAndWait(new StartJob(cargo, job, 1_000, T0));
        commands.sendAndWait(new CompleteJob(cargo, job, credits, T0));
    }

    List<EventMessage<?>> all() {
        List<EventMessage<?>> all = new ArrayList<>();
        try (var stream = events.openStream(null)) {
            while (stream.hasNextAvailable()) {
                all.add(stream.nextAvailable());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
        return all;
    }

    /** The payloads of type {@code type}, in order. */
    <E> List<E> all(Class<E> type) {
        return all().stream().map(EventMessage::getPayload).filter(type::isInstance).map(type::cast).toList();
    }

    /** Replays every event through the ledger, checking that money is conserved after each. */
    Ledger replayedLedger() {
        Ledger ledger = new Ledger();
        for (EventMessage<?> event : all()) {
            ledger.record(event.getPayload());
            assertThat(ledger.isConserved()).as("sum of balances = deposits - payouts after %s", event.getPayload())
                    .isTrue();
        }
        return ledger;
    }
}
