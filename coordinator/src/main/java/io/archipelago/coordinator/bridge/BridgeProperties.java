package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.BridgeSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.bridge.*}: how often Islands are probed, how many probes they may miss, and how long jobs may
 * wait for acceptance, go silent, or run. See {@link BridgeSettings}.
 */
@ConfigurationProperties("archipelago.bridge")
record BridgeProperties(@DefaultValue("true") boolean enabled,
                        @DefaultValue("2s") Duration probeInterval,
                        @DefaultValue("1s") Duration probeTimeout,
                        @DefaultValue("3") int missedProbes,
                        @DefaultValue("3s") Duration acceptTimeout,
                        @DefaultValue("15s") Duration stallTimeout,
                        @DefaultValue("10m") Duration jobDeadline,
                        @DefaultValue("5m") Duration streamRetention,
                        @DefaultValue("100ms") Duration tick) {

    BridgeSettings settings() {
        return new BridgeSettings(probeInterval, probeTimeout, missedProbes, acceptTimeout, stallTimeout, jobDeadline,
                streamRetention, tick);
    }
}
