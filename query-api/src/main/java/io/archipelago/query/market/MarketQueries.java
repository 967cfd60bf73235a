package io.archipelago.query.market;

import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.query.web.NotFound;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The markets: each one's best prices, depth, last rate and volume. */
@RestController
final class MarketQueries {

    private final MarketViews markets;

    MarketQueries(MarketViews markets) {
        this.markets = markets;
    }

    @GetMapping("/markets")
    List<MarketView> markets() {
        return markets.all();
    }

    @GetMapping("/markets/{cargo}")
    MarketView market(@PathVariable String cargo) {
        return markets.find(cargo).orElseThrow(() -> new NotFound("market " + cargo));
    }
}
