package io.archipelago.agent;

import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.NKeyAuth;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Island, running: registered with the coordinator, connected to NATS with its own key, answering probes,
 * running jobs, and listed on the markets it serves. {@link #main} is what a host starts; the coordinator's demo
 * starts a few in-process.
 */
public final class IslandAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IslandAgent.class);

    private final AgentSettings settings;
    private final CoordinatorClient coordinator;
    private final Connection nats;
    private final JobRunner runner;

    private IslandAgent(AgentSettings settings, CoordinatorClient coordinator, Connection nats, JobRunner runner) {
        this.settings = settings;
        this.coordinator = coordinator;
        this.nats = nats;
        this.runner = runner;
    }

    /** Registers the Island, joins NATS, answers probes, goes online and lists its asks. */
    public static IslandAgent start(AgentSettings settings) throws IOException, InterruptedException {
        CoordinatorClient coordinator = new CoordinatorClient(settings.coordinator());
        coordinator.register(settings);
        IslandSession session = coordinator.session(settings.name());
        Options.Builder options = new Options.Builder()
                .server(settings.natsUrl() == null ? session.natsUrl() : settings.natsUrl())
                .connectionName("island " + settings.name())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1));
        if (session.nkeySeed() != null) {
            options.authHandler(NKeyAuth.fromSeed(session.nkeySeed()));
        }
        Connection nats = Nats.connect(options.build());
        JobRuntime runtime = runtime(settings);
        JobRunner runner = new JobRunner(settings.name(), nats, runtime, settings.asks().keySet(), settings.slots());
        try {
            runner.start();
        } catch (TimeoutException slow) {
            nats.close();
            throw new IOException("NATS did not confirm the subscriptions of " + settings.name(), slow);
        }
        IslandAgent agent = new IslandAgent(settings, coordinator, nats, runner);
        coordinator.online(settings.name());
        coordinator.ask(settings.name(), settings.asks());
        LOG.info("island {} ({}) online in {} with {} slots, runtime {}, asks {}", settings.name(), settings.owner(),
                settings.country(), settings.slots(), runtime.label(), settings.asks());
        return agent;
    }

    private static JobRuntime runtime(AgentSettings settings) {
        return switch (settings.runtime()) {
            case "openai-upstream" -> new OpenAiUpstreamRuntime(Objects.requireNonNull(settings.upstream()),
                    settings.upstreamModel());
            default -> new DemoRuntime(settings.name(), settings.demoPause());
        };
    }

    public String islandId() {
        return settings.name();
    }

    /** Jobs running now. */
    public int runningJobs() {
        return runner.running();
    }

    /** Takes the Island offline (its host's request) and leaves NATS. */
    @Override
    public void close() {
        try {
            coordinator.offline(settings.name());
        } catch (IOException unreachable) {
            LOG.warn("could not tell the coordinator that {} goes offline: {}", settings.name(),
                    unreachable.toString());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        runner.close();
        try {
            nats.close();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts an Island from the command line and runs it until the process is stopped. */
    public static void main(String[] args) throws Exception {
        AgentSettings settings;
        try {
            settings = AgentSettings.parse(args);
        } catch (IllegalArgumentException wrong) {
            System.err.println(wrong.getMessage());
            System.err.print(AgentSettings.USAGE);
            System.exit(2);
            return;
        }
        IslandAgent agent = start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "island-agent-stop"));
        stopped.await();
    }
}
