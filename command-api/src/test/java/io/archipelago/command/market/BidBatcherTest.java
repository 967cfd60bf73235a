package io.archipelago.command.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BidBatcherTest {

    private static final CargoType LLAMA = new CargoType("llm.chat.llama3-8b");
    private static final CargoType SDXL = new CargoType("image.sdxl");
    private static final Instant NOW = Instant.parse("2025-03-03T10:00:00Z");

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final List<Object> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private BidBatcher batcher;

    @AfterEach
    void close() {
        releaseFirst.countDown();
        if (batcher != null) {
            batcher.close();
        }
    }

    @Test
    void bidsArrivingWhileABatchCommitsGoOutTogetherAsOneCommand() throws Exception {
        market(this::placeEveryBid, true);
        batcher = new BidBatcher(gateway);

        CompletableFuture<BidOutcome> first = batcher.submit(bid("a"));
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BidOutcome>> queued = List.of(batcher.submit(bid("b")), batcher.submit(bid("c")),
                batcher.submit(bid("d")));
        releaseFirst.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).jobId()).isEqualTo(new JobId("a"));
        for (int i = 0; i < queued.size(); i++) {
            BidOutcome outcome = queued.get(i).get(5, TimeUnit.SECONDS);
            assertThat(outcome.jobId()).isEqualTo(new JobId(List.of("b", "c", "d").get(i)));
            assertThat(outcome.status()).isEqualTo(BidOutcome.Status.PLACED);
        }
        assertThat(sent).extracting(command -> jobIds((SubmitBids) command))
                .containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void aBatchNeverHoldsMoreThanTheCap() throws Exception {
        market(this::placeEveryBid, true);
        batcher = new BidBatcher(gateway, 2);

        CompletableFuture<BidOutcome> first = batcher.submit(bid("a"));
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BidOutcome>> queued = List.of("b", "c", "d", "e", "f").stream()
                .map(id -> batcher.submit(bid(id))).toList();
        releaseFirst.countDown();

        first.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<BidOutcome> outcome : queued) {
            outcome.get(5, TimeUnit.SECONDS);
        }
        assertThat(sent).extracting(command -> jobIds((SubmitBids) command))
                .containsExactly(List.of("a"), List.of("b", "c"), List.of("d", "e"), List.of("f"));
    }

    @Test
    void aMarketWaitingForItsCommitDoesNotHoldUpAnotherMarket() throws Exception {
        market(this::placeEveryBid, true);
        batcher = new BidBatcher(gateway);

        CompletableFuture<BidOutcome> blocked = batcher.submit(bid("a"));
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
        BidOutcome other = batcher.submit(bid("image-1", SDXL)).get(5, TimeUnit.SECONDS);

        assertThat(other.status()).isEqualTo(BidOutcome.Status.PLACED);
        assertThat(blocked).isNotDone();
        releaseFirst.countDown();
        assertThat(blocked.get(5, TimeUnit.SECONDS).status()).isEqualTo(BidOutcome.Status.PLACED);
    }

    @Test
    void aMalformedBidIsRefusedBeforeBatchingAndNothingIsSent() {
        batcher = new BidBatcher(gateway);

        List<SubmitBid> malformed = List.of(
                bid("zero-limit", 0, 10, Duration.ofMinutes(1), null),
                bid("zero-units", 100, 0, Duration.ofMinutes(1), null),
                bid("too-many-units", 100, 1_000_000_001L, Duration.ofMinutes(1), null),
                bid("no-ttl", 100, 10, Duration.ZERO, null),
                bid("ttl-over-a-day", 100, 10, Duration.ofDays(2), null),
                bid("zero-rtt", 100, 10, Duration.ofMinutes(1), 0L),
                bid("overflow", Long.MAX_VALUE / 2, 1000, Duration.ofMinutes(1), null));
        for (SubmitBid bid : malformed) {
            assertThatThrownBy(() -> batcher.submit(bid)).as(bid.jobId().value())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        verifyNoInteractions(gateway);
    }

    @Test
    void whenTheMarketRefusesAWholeBatchEachBidGetsItsOwnAnswer() throws Exception {
        market(command -> {
            if (command instanceof SubmitBids batch && batch.bids().size() > 1) {
                throw new IllegalArgumentException("one bid of the batch is malformed");
            }
            SubmitBid bid = command instanceof SubmitBids batch ? batch.bids().get(0) : (SubmitBid) command;
            if (bid.jobId().value().equals("bad")) {
                throw new IllegalArgumentException("bid bad is malformed");
            }
            return command instanceof SubmitBids ? List.of(BidOutcome.resting(bid.jobId()))
                    : BidOutcome.resting(bid.jobId());
        }, true);
        batcher = new BidBatcher(gateway);

        CompletableFuture<BidOutcome> first = batcher.submit(bid("a"));
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<BidOutcome> good = batcher.submit(bid("b"));
        CompletableFuture<BidOutcome> bad = batcher.submit(bid("bad"));
        CompletableFuture<BidOutcome> alsoGood = batcher.submit(bid("c"));
        releaseFirst.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(BidOutcome.Status.RESTING);
        assertThat(good.get(5, TimeUnit.SECONDS).jobId()).isEqualTo(new JobId("b"));
        assertThat(alsoGood.get(5, TimeUnit.SECONDS).jobId()).isEqualTo(new JobId("c"));
        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("bid bad is malformed");
    }

    @Test
    void everyBidOfABatchOnAMissingMarketFailsWithNotFound() throws Exception {
        market(command -> {
            throw new AggregateNotFoundException(LLAMA.value(), "The aggregate was not found in the event store");
        }, true);
        batcher = new BidBatcher(gateway);

        CompletableFuture<BidOutcome> first = batcher.submit(bid("a"));
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BidOutcome>> queued = List.of(batcher.submit(bid("b")), batcher.submit(bid("c")));
        releaseFirst.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> queued.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<BidOutcome> outcome : List.of(first, queued.get(0), queued.get(1))) {
            assertThatThrownBy(() -> outcome.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AggregateNotFoundException.class);
        }
        assertThat(sent).hasSize(2);
    }

    @Test
    void aClosedBatcherTakesNoMoreBids() {
        batcher = new BidBatcher(gateway);
        batcher.close();

        assertThatThrownBy(() -> batcher.submit(bid("late"))).isInstanceOf(IllegalStateException.class);
    }

    /** Answers every command with {@code market}; the first command waits for {@link #releaseFirst} if asked. */
    private void market(Function<Object, Object> market, boolean holdFirst) {
        when(gateway.send(any())).thenAnswer(invocation -> {
            Object command = invocation.getArgument(0);
            sent.add(command);
            if (holdFirst && firstArrived.getCount() > 0) {
                firstArrived.countDown();
                releaseFirst.await(5, TimeUnit.SECONDS);
            }
            try {
                return CompletableFuture.completedFuture(market.apply(command));
            } catch (RuntimeException refused) {
                return CompletableFuture.failedFuture(refused);
            }
        });
    }

    private Object placeEveryBid(Object command) {
        return ((SubmitBids) command).bids().stream()
                .map(bid -> BidOutcome.placed(bid.jobId(), new IslandId("island-1"))).toList();
    }

    private static List<String> jobIds(SubmitBids batch) {
        return batch.bids().stream().map(bid -> bid.jobId().value()).toList();
    }

    private static SubmitBid bid(String jobId) {
        return bid(jobId, LLAMA);
    }

    private static SubmitBid bid(String jobId, CargoType cargo) {
        return new SubmitBid(cargo, new JobId(jobId), new AccountId("consumer-1"), PricePerUnit.of(100), 10, null,
                null, null, false, Duration.ofMinutes(1), NOW);
    }

    private static SubmitBid bid(String jobId, long limit, long maxUnits, Duration ttl, Long maxRtt) {
        return new SubmitBid(LLAMA, new JobId(jobId), new AccountId("consumer-1"), PricePerUnit.of(limit), maxUnits,
                null, null, maxRtt, false, ttl, NOW);
    }
}
