package io.archipelago.benchmarks;

import io.archipelago.exchange.market.api.SubmitBids;
import java.util.concurrent.atomic.LongAdder;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Watches the {@link SubmitBids} commands the batcher sends: how many, how large, and where each one's time goes.
 * It is the first interceptor of the unit of work, so the phases are: <em>handle</em> from the start of the unit of
 * work to the start of its prepare-commit (loading the aggregates, deciding, applying events), and <em>store</em>
 * from there to the end of its commit (Axon appending the events, then the database commit and its WAL flush).
 */
final class BatchProbe implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final LongAdder batches = new LongAdder();
    private final LongAdder bids = new LongAdder();
    private final LongAdder handleNanos = new LongAdder();
    private final LongAdder storeNanos = new LongAdder();

    record Totals(long batches, long bids, long handleNanos, long storeNanos) {

        Totals minus(Totals earlier) {
            return new Totals(batches - earlier.batches, bids - earlier.bids, handleNanos - earlier.handleNanos,
                    storeNanos - earlier.storeNanos);
        }

        @Override
        public String toString() {
            if (batches == 0) {
                return "no batches";
            }
            return String.format("%,d batches, %.1f bids per batch; per batch: handle %.2f ms, store and commit "
                    + "%.2f ms; per bid: handle %.1f µs, store and commit %.1f µs", batches, (double) bids / batches,
                    handleNanos / 1e6 / batches, storeNanos / 1e6 / batches, handleNanos / 1e3 / bids,
                    storeNanos / 1e3 / bids);
        }
    }

    Registration attachTo(CommandBus commandBus) {
        return commandBus.registerHandlerInterceptor(this);
    }

    Totals totals() {
        return new Totals(batches.sum(), bids.sum(), handleNanos.sum(), storeNanos.sum());
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        if (unitOfWork.getMessage().getPayload() instanceof SubmitBids batch) {
            long started = System.nanoTime();
            long[] prepared = new long[1];
            unitOfWork.onPrepareCommit(work -> prepared[0] = System.nanoTime());
            unitOfWork.onCommit(work -> {
                long committed = System.nanoTime();
                batches.increment();
                bids.add(batch.bids().size());
                handleNanos.add(prepared[0] - started);
                storeNanos.add(committed - prepared[0]);
            });
        }
        return chain.proceed();
    }
}
