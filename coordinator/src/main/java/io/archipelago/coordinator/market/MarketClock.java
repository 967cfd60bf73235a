package io.archipelago.coordinator.market;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The markets' clock: a market expires its bids and clears its rate only when told (time comes in on commands). Every
 * {@code archipelago.market.expiry-interval} each market the read side shows with resting bids is sent
 * {@link ExpireBids} with the coordinator's time, so that escrow goes back even when nothing else happens in the
 * market; every {@code archipelago.market.clear-interval} (60 s) each market that traded since its last clearing, or
 * whose cleared rate is older than the rate window, is sent {@link ClearMarketRate}. Only the node holding the
 * {@link ClusterLease} does either, so they happen once across the cluster. An expiry interval of zero turns both off
 * (tests that drive time through their own commands).
 */
@Component
final class MarketClock implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(MarketClock.class);
    /** The advisory lock's key: "ARCHMKT" in ASCII, so that it reads as this lease in {@code pg_locks}. */
    static final long LEASE_KEY = 0x415243484d4b54L;

    private final MarketViews markets;
    private final CommandGateway commands;
    private final Clock clock;
    private final Duration interval;
    private final Duration clearInterval;
    private final ClusterLease lease;
    private final Map<String, Long> tradesAtClearing = new HashMap<>();
    private @Nullable Instant lastClearing;
    private @Nullable ScheduledExecutorService timer;

    MarketClock(MarketViews markets, CommandGateway commands, Clock clock, DataSource database,
              @Value("${archipelago.market.expiry-interval:1s}") Duration interval,
              @Value("${archipelago.market.clear-interval:60s}") Duration clearInterval) {
        this.markets = markets;
        this.commands = commands;
        this.clock = clock;
        this.interval = interval;
        this.clearInterval = clearInterval;
        this.lease = new ClusterLease(database, LEASE_KEY);
    }

    /** One tick of the clock, on the node that holds the lease only. */
    void tick() {
        if (!lease.held()) {
            return;
        }
        sweep();
        Instant now = clock.instant();
        if (lastClearing == null || !now.isBefore(lastClearing.plus(clearInterval))) {
            lastClearing = now;
            clear(now);
        }
    }

    /** Clears the rate of every market that traded since its last clearing or whose rate has aged out. */
    void clear(Instant now) {
        try {
            for (MarketView market : markets.all()) {
                Long before = tradesAtClearing.put(market.cargo(), market.trades());
                boolean traded = before == null ? market.trades() > 0 : market.trades() != before;
                boolean stale = market.rateClearedAt() != null
                        && market.rateClearedAt().isBefore(now.minus(Duration.ofMinutes(15)));
                if (traded || stale) {
                    commands.send(new ClearMarketRate(new CargoType(market.cargo()), now)).exceptionally(refused -> {
                        LOG.debug("clearing the rate of {} did not go through: {}", market.cargo(),
                                refused.toString());
                        return null;
                    });
                }
            }
        } catch (RuntimeException unreadable) {
            LOG.debug("rate clearing skipped: {}", unreadable.toString());
        }
    }

    /** Sends {@link ExpireBids} to each market with resting bids; what a market refuses is logged and left. */
    void sweep() {
        try {
            for (MarketView market : markets.all()) {
                if (market.restingBids() > 0) {
                    commands.send(new ExpireBids(new CargoType(market.cargo()), clock.instant()))
                            .exceptionally(refused -> {
                                LOG.debug("expiring bids of {} did not go through: {}", market.cargo(),
                                        refused.toString());
                                return null;
                            });
                }
            }
        } catch (RuntimeException unreadable) {
            // the read side or the database is away for a moment: the next sweep tries again
            LOG.debug("bid expiry sweep skipped: {}", unreadable.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "market-clock");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        timer = started;
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        lease.close();
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
