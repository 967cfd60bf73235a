package io.archipelago.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Amounts of any size up to {@code Long.MAX_VALUE} through the real aggregates on Axon: every command is accepted or
 * refused as bad input or a conflict, never by an arithmetic overflow; what is accepted keeps the market's promises
 * ({@link EventAudit}) with the account's credits within {@link MoneyCaps#MAX_BALANCE}; and an Island whose missed
 * heartbeats take its karma down through the fee tiers is taken offline and brought back every time, with its job
 * settled after.
 */
class CapsProperties {

    private static final Instant AT = Instant.parse("2026-01-05T12:00:00Z");
    private static final AccountId ALICE = new AccountId("alice");
    private static final CargoType CARGO = new CargoType("llm.chat");
    private static final IslandId ISLAND = new IslandId("island-1");
    private static final JobId JOB = new JobId("job-1");
    /** Enough missed heartbeats (15 karma each) to fall from the initial 500 through the tier at 300. */
    private static final int OUTAGES = 16;

    /** Any amount, amounts around the price cap, and asks that fit the fee at 7.5% but overflowed it at 10%. */
    private static Gen<Long> amounts() {
        return Generate.oneOf(longs().between(0, Long.MAX_VALUE),
                longs().between(0, 2 * MoneyCaps.MAX_PRICE_PER_UNIT),
                longs().between(Long.MAX_VALUE / 1_000, Long.MAX_VALUE / 750));
    }

    @Test
    void noAmountOverflowsAndAnIslandFallingThroughTheTiersStaysManageable() {
        qt().withExamples(150)
                .forAll(amounts(), amounts(), amounts(), longs().between(1, 2 * SubmitBid.MAX_UNITS))
                .checkAssert(CapsProperties::noAmountOverflowsAndAnIslandFallingThroughTheTiersStaysManageable);
    }

    private static void noAmountOverflowsAndAnIslandFallingThroughTheTiersStaysManageable(long deposit, long ask,
                                                                                         long limit, long units) {
        try (InMemoryExchange exchange = new InMemoryExchange()) {
            send(exchange, new OpenAccount(ALICE, Country.of("DE"), AT));
            send(exchange, new DepositCredits(ALICE, "d1", MicroCredits.of(Math.max(1, deposit)), AT));
            send(exchange, new DepositCredits(ALICE, "d2", MicroCredits.of(MoneyCaps.MAX_DEPOSIT), AT));
            send(exchange, new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher"),
                    PricePerUnit.of(100), AT));
            send(exchange, new RegisterIsland(ISLAND, new AccountId("host"), Country.of("DE"), Set.of(CARGO), 1,
                    AvailabilitySchedule.ALWAYS, false, AT));
            send(exchange, new BringIslandOnline(ISLAND, AT));
            send(exchange, new RecordIslandRtt(ISLAND, 1_000, AT));
            if (!send(exchange, new PlaceAsk(CARGO, ISLAND, PricePerUnit.of(ask), AT))) {
                assertThat(ask).as("only an ask above the cap is refused").isGreaterThan(MoneyCaps.MAX_PRICE_PER_UNIT);
                send(exchange, new PlaceAsk(CARGO, ISLAND, PricePerUnit.of(MoneyCaps.MAX_PRICE_PER_UNIT), AT));
            }
            send(exchange, new SubmitBid(CARGO, JOB, ALICE, PricePerUnit.of(limit), units, null, null, null, false,
                    Duration.ofMinutes(10), AT));
            Instant at = AT;
            for (int outage = 0; outage < OUTAGES; outage++) {
                at = at.plusSeconds(1);
                assertThat(send(exchange, new TakeIslandOffline(ISLAND, OfflineReason.HEARTBEATS_MISSED, at)))
                        .as("taken offline after %d outages", outage).isTrue();
                assertThat(send(exchange, new BringIslandOnline(ISLAND, at))).isTrue();
            }
            if (exchange.payloads().stream().anyMatch(JobPlaced.class::isInstance)) {
                assertThat(send(exchange, new CompleteJob(CARGO, JOB, units, at))).as("the job settles").isTrue();
            }
            EventAudit audit = EventAudit.of(exchange.payloads());
            long held = audit.ledger().balance(ALICE, Bucket.AVAILABLE).value()
                    + audit.ledger().balance(ALICE, Bucket.ESCROW).value();
            assertThat(held).isLessThanOrEqualTo(MoneyCaps.MAX_BALANCE);
        }
    }

    /** Sends {@code command}; false when it was refused as bad input or a conflict, any other failure propagates. */
    private static boolean send(InMemoryExchange exchange, Object command) {
        try {
            exchange.gateway().sendAndWait(command);
            return true;
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return false;
        }
    }
}
