package io.archipelago.query.history;

import io.archipelago.projections.history.Candle;
import io.archipelago.projections.history.CargoUsage;
import io.archipelago.projections.history.MarketHistory;
import io.archipelago.projections.history.OrderBookDepth;
import io.archipelago.projections.history.RatePoint;
import io.archipelago.projections.history.Resolution;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Market history for analysts: candles of trade prices, order book depth, usage per Cargo type and publisher. */
@RestController
final class MarketHistoryQueries {

    private static final int MAX_DEPTH = 100;

    private final MarketHistory history;

    MarketHistoryQueries(MarketHistory history) {
        this.history = history;
    }

    /** OHLCV candles ({@code resolution} 1m, 1h or 1d) whose buckets start in {@code [from, to)}. */
    @GetMapping("/markets/{cargo}/candles")
    Page<Candle> candles(@PathVariable String cargo, @RequestParam(defaultValue = "1h") String resolution,
                         @RequestParam(required = false) @Nullable Instant from,
                         @RequestParam(required = false) @Nullable Instant to,
                         @RequestParam(required = false) @Nullable Integer offset,
                         @RequestParam(required = false) @Nullable Integer limit) {
        Window window = Window.of(from, to, offset, limit);
        return Page.of(history.candles(cargo, Resolution.of(resolution), window.from(), window.to(),
                window.offset(), window.limit()), window);
    }

    /** The rates the market cleared in {@code [from, to)}, oldest first: the rate over time. */
    @GetMapping("/markets/{cargo}/rates")
    Page<RatePoint> rates(@PathVariable String cargo, @RequestParam(required = false) @Nullable Instant from,
                          @RequestParam(required = false) @Nullable Instant to,
                          @RequestParam(required = false) @Nullable Integer offset,
                          @RequestParam(required = false) @Nullable Integer limit) {
        Window window = Window.of(from, to, offset, limit);
        return Page.of(history.rates(cargo, window.from(), window.to(), window.offset(), window.limit()), window);
    }

    /** The order book by price level, at most {@code levels} (up to 100) per side. */
    @GetMapping("/markets/{cargo}/depth")
    OrderBookDepth depth(@PathVariable String cargo, @RequestParam(defaultValue = "20") int levels) {
        if (levels < 1 || levels > MAX_DEPTH) {
            throw new IllegalArgumentException("levels must be between 1 and " + MAX_DEPTH);
        }
        return history.depth(cargo, levels);
    }

    /** Daily usage per Cargo type, of one Cargo type and/or publisher when given. */
    @GetMapping("/usage")
    Page<CargoUsage> usage(@RequestParam(required = false) @Nullable String cargo,
                           @RequestParam(required = false) @Nullable String publisher,
                           @RequestParam(required = false) @Nullable Instant from,
                           @RequestParam(required = false) @Nullable Instant to,
                           @RequestParam(required = false) @Nullable Integer offset,
                           @RequestParam(required = false) @Nullable Integer limit) {
        Window window = Window.of(from, to, offset, limit);
        return Page.of(history.usage(cargo, publisher, window.from(), window.to(), window.offset(), window.limit()),
                window);
    }
}
