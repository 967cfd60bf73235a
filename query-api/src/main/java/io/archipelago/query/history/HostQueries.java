package io.archipelago.query.history;

import io.archipelago.projections.island.IslandView;
import io.archipelago.projections.island.IslandViews;
import io.archipelago.projections.market.MarketAsk;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.projections.payout.PayoutView;
import io.archipelago.projections.payout.PayoutViews;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What a host reads of its own: its Islands with their asks, and its payouts. */
@RestController
final class HostQueries {

    private final IslandViews islands;
    private final MarketViews markets;
    private final PayoutViews payouts;

    HostQueries(IslandViews islands, MarketViews markets, PayoutViews payouts) {
        this.islands = islands;
        this.markets = markets;
        this.payouts = payouts;
    }

    /** The account's Islands, by Island id, each with its asks. */
    @GetMapping("/accounts/{accountId}/islands")
    List<OwnIsland> islands(@PathVariable String accountId) {
        return islands.ownedBy(accountId).stream()
                .map(island -> new OwnIsland(island, markets.asksOf(island.islandId())))
                .toList();
    }

    /** The account's payouts requested in {@code [from, to)}, any status. */
    @GetMapping("/accounts/{accountId}/payouts")
    Page<PayoutView> payouts(@PathVariable String accountId,
                             @RequestParam(required = false) @Nullable Integer offset,
                             @RequestParam(required = false) @Nullable Integer limit) {
        Window window = Window.of(null, null, offset, limit);
        return Page.of(payouts.requested(accountId, null, window.from(), window.to(), window.offset(),
                window.limit()), window);
    }

    /** One of the host's Islands as the read side knows it, owner included, and its asks. */
    record OwnIsland(IslandView island, List<MarketAsk> asks) {
    }
}
