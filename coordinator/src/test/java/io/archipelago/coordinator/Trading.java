package io.archipelago.coordinator;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The commands of a small exchange, sent through a coordinator's gateway as the HTTP layer would send them: one
 * market, its publisher, Islands in Germany, consumers with credits. Times are fixed so runs are repeatable.
 */
public final class Trading {

    public static final CargoType CARGO = new CargoType("llm.chat.llama3-8b");
    public static final AccountId PUBLISHER = new AccountId("publisher-1");
    public static final PricePerUnit ROYALTY = PricePerUnit.of(10);
    public static final Country GERMANY = Country.of("DE");
    public static final Instant T0 = Instant.parse("2025-06-02T10:00:00Z");

    private final CoordinatorNode node;

    public Trading(CoordinatorNode node) {
        this.node = node;
    }

    /** Opens {@link #CARGO}'s market. */
    public Trading openMarket() {
        node.send(new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0));
        return this;
    }

    /** Opens a consumer's or host's account in Germany and deposits {@code credits} micro-credits when positive. */
    public Trading account(AccountId account, long credits) {
        node.send(new OpenAccount(account, GERMANY, T0));
        if (credits > 0) {
            node.send(new DepositCredits(account, "deposit-" + account, MicroCredits.of(credits), T0));
        }
        return this;
    }

    /** Registers an Island of {@code host} in Germany, brings it online at {@code rttMicros} and places its ask. */
    public Trading island(IslandId island, AccountId host, int slots, long askPrice, long rttMicros) {
        node.send(new RegisterIsland(island, host, GERMANY, Set.of(CARGO), slots, AvailabilitySchedule.ALWAYS,
                true, T0));
        node.send(new BringIslandOnline(island, T0));
        node.send(new RecordIslandRtt(island, rttMicros, T0));
        node.send(new PlaceAsk(CARGO, island, PricePerUnit.of(askPrice), T0));
        return this;
    }

    /** A bid of {@code consumer} in its home region, resting at most an hour. */
    public static SubmitBid bid(String jobId, AccountId consumer, long limit, long maxUnits, Instant at) {
        return bid(jobId, consumer, limit, maxUnits, null, at);
    }

    public static SubmitBid bid(String jobId, AccountId consumer, long limit, long maxUnits,
                                @Nullable JurisdictionPolicy jurisdiction, Instant at) {
        return new SubmitBid(CARGO, new JobId(jobId), consumer, PricePerUnit.of(limit), maxUnits, jurisdiction, null,
                null, false, Duration.ofHours(1), at);
    }

    public BidOutcome submit(SubmitBid bid) {
        return node.send(bid);
    }
}
