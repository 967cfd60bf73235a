package io.archipelago.command.market;

import io.archipelago.command.web.Commands;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;

/**
 * Group commit for bids. Bids arriving at the same time on one market are sent together as one {@link SubmitBids}
 * command: one unit of work, one aggregate lock and one database transaction for the whole batch instead of one per
 * bid. Each market has at most one dispatcher at a time; while it waits for a batch to commit, newly arriving bids
 * queue up, and it then sends whatever queued (at most {@code maxBatch}) as the next batch. Under light load a batch
 * holds a single bid and nothing waits for a timer.
 *
 * <p>Each caller gets its own bid's {@link BidOutcome}. A malformed bid is refused by {@link #submit} before it joins
 * a batch, so it cannot fail the others; should the market still refuse a whole batch, its bids are retried one by
 * one so each caller gets its own answer. Usage:
 *
 * <pre>{@code
 * try (BidBatcher batcher = new BidBatcher(commandGateway)) {
 *     BidOutcome outcome = batcher.submit(bid).join();
 * }
 * }</pre>
 */
public final class BidBatcher implements AutoCloseable {

    /**
     * The most bids one {@link SubmitBids} command carries by default: bigger batches add no rate, only round-trip
     * time (docs/benchmarks.md, durable bid path).
     */
    public static final int DEFAULT_MAX_BATCH = 128;

    private final CommandGateway gateway;
    private final int maxBatch;
    private final ExecutorService dispatchers;
    private final ConcurrentMap<CargoType, MarketQueue> markets = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A batcher sending batches of at most {@link #DEFAULT_MAX_BATCH} bids through {@code gateway}. */
    public BidBatcher(CommandGateway gateway) {
        this(gateway, DEFAULT_MAX_BATCH);
    }

    /** A batcher sending batches of at most {@code maxBatch} bids through {@code gateway}. */
    public BidBatcher(CommandGateway gateway, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one bid, got " + maxBatch);
        }
        this.gateway = gateway;
        this.maxBatch = maxBatch;
        this.dispatchers = Executors.newCachedThreadPool(new DispatcherThreads());
    }

    /**
     * Queues {@code bid} for the next batch of its market.
     *
     * @return completes with the bid's outcome once its batch committed, or exceptionally with what the market
     *         threw for this bid (for instance {@link AggregateNotFoundException} when the market does not exist)
     * @throws IllegalArgumentException when the bid is malformed; nothing is sent
     * @throws IllegalStateException    when the batcher is closed
     */
    public CompletableFuture<BidOutcome> submit(SubmitBid bid) {
        bid.worstCase(); // the market's own form check: in a batch one malformed bid would fail them all
        if (closed.get()) {
            throw new IllegalStateException("the bid batcher is closed");
        }
        Pending pending = new Pending(bid, new CompletableFuture<>());
        markets.computeIfAbsent(bid.cargo(), MarketQueue::new).offer(pending);
        return pending.outcome();
    }

    /** Stops taking bids and waits briefly for the batches already queued to be sent. */
    @Override
    public void close() {
        closed.set(true);
        dispatchers.shutdown();
        try {
            dispatchers.awaitTermination(Commands.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(SubmitBid bid, CompletableFuture<BidOutcome> outcome) {
    }

    /** The bids waiting on one market, and the flag that keeps that market to a single dispatcher. */
    private final class MarketQueue {

        private final CargoType cargo;
        private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean dispatching = new AtomicBoolean();

        MarketQueue(CargoType cargo) {
            this.cargo = cargo;
        }

        void offer(Pending pending) {
            waiting.add(pending);
            if (dispatching.compareAndSet(false, true)) {
                try {
                    dispatchers.execute(this::drain);
                } catch (RejectedExecutionException shutDown) {
                    dispatching.set(false);
                    failWaiting(new IllegalStateException("the bid batcher is closed"));
                }
            }
        }

        private void drain() {
            do {
                try {
                    for (List<Pending> batch = take(); !batch.isEmpty(); batch = take()) {
                        dispatch(batch);
                    }
                } finally {
                    dispatching.set(false);
                }
                // a bid queued after the last take but before the flag dropped found the flag still up
            } while (!waiting.isEmpty() && dispatching.compareAndSet(false, true));
        }

        private List<Pending> take() {
            List<Pending> batch = new ArrayList<>(Math.min(maxBatch, 64));
            Pending next;
            while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            return batch;
        }

        private void dispatch(List<Pending> batch) {
            List<SubmitBid> bids = batch.stream().map(Pending::bid).toList();
            try {
                List<BidOutcome> outcomes = gateway.<List<BidOutcome>>send(new SubmitBids(cargo, bids)).join();
                if (outcomes.size() != batch.size()) {
                    throw new IllegalStateException("the market answered " + outcomes.size() + " outcomes for "
                            + batch.size() + " bids");
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).outcome().complete(outcomes.get(i));
                }
            } catch (RuntimeException failure) {
                RuntimeException cause = Commands.unwrap(failure);
                if (batch.size() == 1 || cause instanceof AggregateNotFoundException) {
                    batch.forEach(pending -> pending.outcome().completeExceptionally(cause));
                } else {
                    batch.forEach(this::dispatchAlone);
                }
            }
        }

        /** The batch failed as a whole: the market's answer to this bid alone is its caller's answer. */
        private void dispatchAlone(Pending pending) {
            try {
                pending.outcome().complete(gateway.<BidOutcome>send(pending.bid()).join());
            } catch (RuntimeException failure) {
                pending.outcome().completeExceptionally(Commands.unwrap(failure));
            }
        }

        private void failWaiting(RuntimeException failure) {
            for (Pending pending = waiting.poll(); pending != null; pending = waiting.poll()) {
                pending.outcome().completeExceptionally(failure);
            }
        }
    }

    private static final class DispatcherThreads implements ThreadFactory {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "bid-dispatcher-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
