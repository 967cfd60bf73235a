package io.archipelago.exchange.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The caps make overflow unreachable: no ask, royalty, bid limit and number of units the exchange accepts overflows a
 * fee at any karma tier, a charge, its split or an escrow; the fee is exact for any ask at all; and the ledger's
 * totals stay exact whatever deposits the store holds, also ones recorded before deposits were capped.
 */
class MoneyCapsProperties {

    private static final Instant AT = Instant.parse("2026-01-05T12:00:00Z");
    /** One karma in each fee tier. */
    private static final List<Karma> TIERS = List.of(Karma.of(0), Karma.of(300), Karma.of(600), Karma.of(850));

    private static Gen<Long> prices() {
        return longs().between(0, MoneyCaps.MAX_PRICE_PER_UNIT);
    }

    @Test
    void noAcceptedPriceOrUnitsOverflowsAFeeAChargeOrAnEscrowAtAnyTier() {
        qt().withExamples(2_000)
                .forAll(prices(), prices(), longs().between(1, MoneyCaps.MAX_PRICE_PER_UNIT),
                        longs().between(1, SubmitBid.MAX_UNITS))
                .checkAssert((ask, royalty, limit, units) -> {
                    MicroCredits escrow = bid(limit, units).worstCase();
                    assertThat(escrow.value()).isEqualTo(limit * units);
                    for (Karma karma : TIERS) {
                        UnitPrice price = Pricing.quote(PricePerUnit.of(ask), PricePerUnit.of(royalty), karma);
                        assertThat(price.platformFee().microCredits()).isLessThanOrEqualTo(ask / 10);
                        MicroCredits charged = price.charge(units);
                        assertThat(price.hostEarnings(units).plus(price.royalties(units)).plus(price.fees(units)))
                                .as("a charge splits without a remainder").isEqualTo(charged);
                        if (price.total().microCredits() <= limit) {
                            assertThat(charged).as("a placed job never costs more than its escrow")
                                    .isLessThanOrEqualTo(escrow);
                        }
                    }
                });
    }

    @Test
    void aPriceAboveTheCapIsRefusedWhereverItIsNamed() {
        qt().forAll(longs().between(MoneyCaps.MAX_PRICE_PER_UNIT + 1, Long.MAX_VALUE), integers().between(1, 1_000))
                .checkAssert((limit, units) -> assertThat(refusal(() -> bid(limit, units).worstCase()))
                        .contains("a bid's limit per unit is at most " + MoneyCaps.MAX_PRICE_PER_UNIT));
    }

    @Test
    void theFeeIsTheExactRoundedDownShareOfAnyAskAtAnyTier() {
        qt().withExamples(2_000).forAll(longs().between(0, Long.MAX_VALUE), integers().between(0, Karma.MAX_POINTS))
                .checkAssert((ask, karma) -> {
                    BigInteger exact = BigInteger.valueOf(ask)
                            .multiply(BigInteger.valueOf(Pricing.feeBasisPoints(karma)))
                            .divide(BigInteger.valueOf(10_000));
                    assertThat(Pricing.platformFee(PricePerUnit.of(ask), Karma.of(karma)).microCredits())
                            .isEqualTo(exact.longValueExact());
                });
    }

    @Test
    void theLedgersTotalsStayExactWhateverTheDeposits() {
        qt().forAll(lists().of(longs().between(1, Long.MAX_VALUE)).ofSizeBetween(1, 20))
                .checkAssert(amounts -> {
                    Ledger ledger = new Ledger();
                    BigInteger sum = BigInteger.ZERO;
                    for (int i = 0; i < amounts.size(); i++) {
                        ledger.record(new CreditsDeposited(new AccountId("account-" + i), "deposit",
                                MicroCredits.of(amounts.get(i)), AT));
                        sum = sum.add(BigInteger.valueOf(amounts.get(i)));
                    }
                    assertThat(ledger.deposits()).isEqualTo(sum);
                    assertThat(ledger.total()).isEqualTo(sum);
                    assertThat(ledger.isConserved()).isTrue();
                });
    }

    private static SubmitBid bid(long limit, long units) {
        return new SubmitBid(new CargoType("llm.chat"), new JobId("job"), new AccountId("consumer"),
                PricePerUnit.of(limit), units, null, null, null, false, Duration.ofMinutes(1), AT);
    }

    private static String refusal(Runnable command) {
        try {
            command.run();
        } catch (IllegalArgumentException refused) {
            return refused.getMessage();
        }
        throw new AssertionError("not refused");
    }
}
