package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.nats.IslandAdmission;
import io.archipelago.bridge.nats.LocalNatsServer;
import io.archipelago.protocol.NKeyAuth;
import io.nats.client.Options;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The NATS server the coordinator and its Islands use: the local one it started, or an external one
 * ({@code NATS_URL}, with the coordinator's NKey seed in {@code NATS_NKEY_SEED} when it requires one).
 */
final class NatsEndpoint implements AutoCloseable {

    private final String url;
    private final @Nullable String seed;
    private final IslandAdmission admission;
    private final @Nullable LocalNatsServer local;

    private NatsEndpoint(String url, @Nullable String seed, IslandAdmission admission,
                         @Nullable LocalNatsServer local) {
        this.url = url;
        this.seed = seed;
        this.admission = admission;
        this.local = local;
    }

    static NatsEndpoint local(LocalNatsServer server) {
        return new NatsEndpoint(server.url(), server.coordinatorSeed(), server, server);
    }

    static NatsEndpoint external(String url, @Nullable String seed) {
        return new NatsEndpoint(url, seed, IslandAdmission.external(url), null);
    }

    String url() {
        return url;
    }

    IslandAdmission admission() {
        return admission;
    }

    Options options() {
        Options.Builder options = new Options.Builder().server(url).connectionName("coordinator")
                .maxReconnects(-1).reconnectWait(Duration.ofSeconds(1));
        if (seed != null) {
            options.authHandler(NKeyAuth.fromSeed(seed));
        }
        return options.build();
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
