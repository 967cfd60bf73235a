package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.IslandBridge;
import io.archipelago.protocol.RejectedMessage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The bridge on {@code /actuator/prometheus}: messages refused from Islands by reason
 * ({@code archipelago_bridge_rejected_total}), duplicate chunks dropped, the jobs dispatched and not finished, and
 * the job output subjects heard.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class BridgeMetrics implements MeterBinder {

    private final IslandBridge bridge;

    BridgeMetrics(IslandBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RejectedMessage.Reason reason : RejectedMessage.Reason.values()) {
            FunctionCounter.builder("archipelago.bridge.rejected", bridge,
                            island -> island.rejections().count(reason))
                    .tag("reason", reason.name().toLowerCase())
                    .description("messages from Islands the bridge refused")
                    .register(registry);
        }
        FunctionCounter.builder("archipelago.bridge.duplicates", bridge, island -> island.rejections().duplicates())
                .description("chunks that arrived again and were dropped")
                .register(registry);
        Gauge.builder("archipelago.bridge.jobs.running", bridge, IslandBridge::runningJobs)
                .description("jobs dispatched to Islands and not finished")
                .register(registry);
        Gauge.builder("archipelago.bridge.output.subjects", bridge, IslandBridge::heardOutputSubjects)
                .description("job output subjects this node hears: one per job it dispatched that still runs")
                .register(registry);
    }
}
