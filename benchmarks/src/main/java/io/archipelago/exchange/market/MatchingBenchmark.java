package io.archipelago.exchange.market;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placements per second of the order book on one thread, beside the naive reference on the same market in the same
 * run: each operation matches one bid, places it and finishes the oldest running job. The {@code placements}
 * counter is the figure (operations where no Island could take the bid are counted as {@code misses}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MatchingBenchmark {

    /** The market matched by the order book. */
    @State(Scope.Thread)
    public static class BookMarket {
        SteadyState market;

        @Setup(Level.Trial)
        public void setUp() {
            market = SteadyState.synthetic(false);
        }
    }

    /** The same market matched by the naive reference. */
    @State(Scope.Thread)
    public static class NaiveMarket {
        SteadyState market;

        @Setup(Level.Trial)
        public void setUp() {
            market = SteadyState.synthetic(true);
        }
    }

    /** Placements and misses, reported by JMH as rates beside the operations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Outcomes {
        public long placements;
        public long misses;

        @Setup(Level.Iteration)
        public void reset() {
            placements = 0;
            misses = 0;
        }

        boolean count(Object ask) {
            if (ask == null) {
                misses++;
                return false;
            }
            placements++;
            return true;
        }
    }

    @Benchmark
    public boolean orderBook(BookMarket book, Outcomes outcomes) {
        return outcomes.count(book.market.step());
    }

    @Benchmark
    public boolean naiveReference(NaiveMarket naive, Outcomes outcomes) {
        return outcomes.count(naive.market.step());
    }
}
