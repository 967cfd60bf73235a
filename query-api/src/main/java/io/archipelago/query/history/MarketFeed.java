package io.archipelago.query.history;

import io.archipelago.projections.island.IslandViews;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboards' live feed over SSE: at once every market ({@code market} events) and the Islands by karma
 * ({@code islands}), then each market again whenever its row in the read model changed and the Islands whenever any
 * of them did. One reader per node looks at the read models every {@code archipelago.query.feed-interval} while
 * anyone listens, however many do, so browsers never poll.
 */
@RestController
final class MarketFeed implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(MarketFeed.class);
    private static final long STREAM_TIMEOUT_MILLIS = Duration.ofHours(1).toMillis();
    private static final int ISLANDS = 200;

    private final MarketViews markets;
    private final IslandViews islands;
    private final Set<SseEmitter> listeners = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reader;
    private final Map<String, Instant> marketsSeen = new HashMap<>();
    private List<IslandListing> islandsSeen = List.of();

    MarketFeed(MarketViews markets, IslandViews islands,
               @Value("${archipelago.query.feed-interval:500ms}") Duration interval) {
        this.markets = markets;
        this.islands = islands;
        this.reader = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "market-feed");
            thread.setDaemon(true);
            return thread;
        });
        reader.scheduleWithFixedDelay(this::read, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @GetMapping(path = "/markets/feed", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter feed() {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        emitter.onCompletion(() -> listeners.remove(emitter));
        emitter.onTimeout(() -> listeners.remove(emitter));
        emitter.onError(failure -> listeners.remove(emitter));
        for (MarketView market : markets.all()) {
            send(emitter, "market", market);
        }
        send(emitter, "islands", islandListings());
        listeners.add(emitter);
        return emitter;
    }

    private void read() {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            for (MarketView market : markets.all()) {
                if (!market.updatedAt().equals(marketsSeen.put(market.cargo(), market.updatedAt()))) {
                    listeners.forEach(emitter -> send(emitter, "market", market));
                }
            }
            List<IslandListing> now = islandListings();
            if (!now.equals(islandsSeen)) {
                islandsSeen = now;
                listeners.forEach(emitter -> send(emitter, "islands", now));
            }
        } catch (RuntimeException failed) {
            LOG.warn("the market feed could not read the read models, tried again next time: {}",
                    failed.getMessage());
        }
    }

    private List<IslandListing> islandListings() {
        return islands.byKarma(null, 0, ISLANDS).stream().map(IslandListing::of).toList();
    }

    private void send(SseEmitter emitter, String name, Object data) {
        synchronized (emitter) {
            try {
                emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(emitter);
                emitter.completeWithError(gone);
            }
        }
    }

    @Override
    public void destroy() {
        reader.shutdownNow();
        listeners.forEach(SseEmitter::complete);
    }
}
