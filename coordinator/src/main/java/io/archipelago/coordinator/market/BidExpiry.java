package io.archipelago.coordinator.market;

import io.archipelago.exchange.market.api.CargoType;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Expires resting bids once their time to live ran out, so that their escrow goes back to the consumer's available
 * credits even when nothing else happens in their market. A market expires its bids only when told (time comes in on
 * commands), so every {@code archipelago.market.expiry-interval} each market the read side shows with resting bids
 * is sent {@link ExpireBids} with the coordinator's time. Every node may do it: a second {@code ExpireBids} finds
 * nothing left to expire. An interval of zero turns it off (tests that drive time through their own commands).
 */
@Component
final class BidExpiry implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BidExpiry.class);

    private final MarketViews markets;
    private final CommandGateway commands;
    private final Clock clock;
    private final Duration interval;
    private @Nullable ScheduledExecutorService timer;

    BidExpiry(MarketViews markets, CommandGateway commands, Clock clock,
              @Value("${archipelago.market.expiry-interval:1s}") Duration interval) {
        this.markets = markets;
        this.commands = commands;
        this.clock = clock;
        this.interval = interval;
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
            Thread thread = new Thread(task, "bid-expiry");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        timer = started;
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
