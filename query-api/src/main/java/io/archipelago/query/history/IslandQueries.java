package io.archipelago.query.history;

import io.archipelago.projections.island.IslandViews;
import io.archipelago.projections.island.KarmaChange;
import io.archipelago.query.web.NotFound;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Islands with their karma, round-trip time, uptime and jurisdiction, never their owners ({@link IslandListing}); the
 * karma leaderboard and history.
 */
@RestController
final class IslandQueries {

    private final IslandViews islands;

    IslandQueries(IslandViews islands) {
        this.islands = islands;
    }

    /** Islands by karma, highest first, of one country when given. */
    @GetMapping("/islands")
    Page<IslandListing> islands(@RequestParam(required = false) @Nullable String country,
                             @RequestParam(required = false) @Nullable Integer offset,
                             @RequestParam(required = false) @Nullable Integer limit) {
        Window window = Window.of(null, null, offset, limit);
        return Page.of(islands.byKarma(country, window.offset(), window.limit()).stream().map(IslandListing::of)
                .toList(), window);
    }

    @GetMapping("/islands/{islandId}")
    IslandListing island(@PathVariable String islandId) {
        return islands.find(islandId).map(IslandListing::of).orElseThrow(() -> new NotFound("island " + islandId));
    }

    /** The Island's karma changes in {@code [from, to)}, oldest first. */
    @GetMapping("/islands/{islandId}/karma")
    Page<KarmaChange> karma(@PathVariable String islandId,
                            @RequestParam(required = false) @Nullable Instant from,
                            @RequestParam(required = false) @Nullable Instant to,
                            @RequestParam(required = false) @Nullable Integer offset,
                            @RequestParam(required = false) @Nullable Integer limit) {
        Window window = Window.of(from, to, offset, limit);
        return Page.of(islands.karmaHistory(islandId, window.from(), window.to(), window.offset(), window.limit()),
                window);
    }
}
