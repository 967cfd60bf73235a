package io.archipelago.projections.metrics;

import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobStarted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Counts what happens in the exchange from the events, on a processor of its own that starts at the head of the
 * stream at every start (its position is kept in memory only): counters count since the coordinator started, as
 * Prometheus expects. Placements and settlements are tagged by Cargo type, rejections by reason.
 */
@ProcessingGroup(MetricsConfiguration.PROCESSING_GROUP)
final class ExchangeMetrics {

    private final MeterRegistry meters;
    private final Timer roundTrip;
    private final Timer timeToFirstToken;

    ExchangeMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.roundTrip = Timer.builder("archipelago.placement.rtt")
                .description("Measured round-trip time to the Island a job was placed on")
                .publishPercentileHistogram()
                .register(meters);
        this.timeToFirstToken = Timer.builder("archipelago.job.ttft")
                .description("Time from placement to a job's first token, as its Island reported it")
                .publishPercentileHistogram()
                .register(meters);
    }

    @EventHandler
    void on(JobPlaced event) {
        Counter.builder("archipelago.placements").description("Jobs placed on an Island")
                .tag("cargo", event.cargo().value()).register(meters).increment();
        if (event.rttMicros() < Long.MAX_VALUE) {
            roundTrip.record(Duration.ofNanos(event.rttMicros() * 1_000));
        }
    }

    @EventHandler
    void on(BidRejected event) {
        Counter.builder("archipelago.rejections").description("Bids turned away, by reason")
                .tag("reason", event.reason().name()).register(meters).increment();
    }

    @EventHandler
    void on(JobStarted event) {
        timeToFirstToken.record(Duration.ofNanos(event.ttftMicros() * 1_000));
    }

    @EventHandler
    void on(JobCompleted event) {
        String cargo = event.cargo().value();
        Counter.builder("archipelago.settlement.volume").description("Micro-credits charged to consumers for jobs")
                .baseUnit("micro-credits").tag("cargo", cargo).register(meters)
                .increment(event.charged().value());
        DistributionSummary.builder("archipelago.settlement.units").description("Units of completed jobs")
                .tag("cargo", cargo).register(meters).record(event.units());
    }

    @EventHandler
    void on(JobFailed event) {
        Counter.builder("archipelago.jobs.failed").description("Placed jobs that failed and were refunded")
                .tag("cargo", event.cargo().value()).register(meters).increment();
    }
}
