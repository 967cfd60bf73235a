package io.archipelago.agent;

import io.archipelago.agent.pipeline.PipelineModel;
import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.NKeyAuth;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
        Map<String, JobRuntime> cargos = processCargos(settings);
        cargos.putAll(containerCargos(settings));
        JobRuntime runtime = new CargoRuntimes(cargos, runtime(settings));
        CoordinatorClient coordinator = new CoordinatorClient(settings.coordinator(), settings.key());
        coordinator.register(settings);
        Path seedFile = settings.stateDir() == null ? null : settings.stateDir().resolve("nkey.seed");
        String previousSeed = seedFile != null && Files.exists(seedFile)
                ? Files.readString(seedFile, StandardCharsets.US_ASCII).trim() : null;
        IslandSession session = coordinator.session(settings.name(), previousSeed);
        if (seedFile != null && session.nkeySeed() != null) {
            keep(seedFile, session.nkeySeed());
        }
        Options.Builder options = new Options.Builder()
                .server(settings.natsUrl() == null ? session.natsUrl() : settings.natsUrl())
                .connectionName("island " + settings.name())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1));
        if (session.nkeySeed() != null) {
            options.authHandler(NKeyAuth.fromSeed(session.nkeySeed()));
        }
        Connection nats = Nats.connect(options.build());
        JobRunner runner = new JobRunner(settings.name(), nats, runtime, settings.asks().keySet(), settings.slots(),
                settings.runtime().equals("minilm-stages") ? new PipelineModel() : null, settings.demoPause());
        if (settings.memoryMib() != null) {
            runner.offerMemory(settings.memoryMib());
        }
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

    /** Keeps the Island's key where only this user reads it, replacing the previous one in one step. */
    private static void keep(Path seedFile, String seed) throws IOException {
        Files.createDirectories(seedFile.getParent());
        Path next = seedFile.resolveSibling("nkey.seed.next");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, seed, StandardCharsets.US_ASCII);
        Files.move(next, seedFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Verifies every process Cargo and stages its checked bytes where the sandbox runs them; any Cargo that is
     * unsigned, signed by an unpinned key or tampered with stops the agent before it registers anything.
     */
    private static Map<String, JobRuntime> processCargos(AgentSettings settings) throws IOException,
            InterruptedException {
        Map<String, JobRuntime> runtimes = new HashMap<>();
        if (settings.cargos().isEmpty()) {
            return runtimes;
        }
        CargoVerifier verifier = CargoVerifier.pinning(settings.trust());
        Path workDir = Files.createTempDirectory("island-agent-" + settings.name());
        Optional<Sandbox> sandbox = Sandbox.detect(workDir);
        for (Path manifest : settings.cargos()) {
            CargoVerifier.Verified cargo;
            try {
                cargo = verifier.verify(manifest);
            } catch (CargoVerifier.CargoRefused refused) {
                throw new IOException("refusing Cargo " + manifest + ": " + refused.getMessage(), refused);
            }
            String type = cargo.manifest().cargo();
            if (!cargo.manifest().kind().equals("process")) {
                throw new IOException("refusing Cargo " + type + ": kind " + cargo.manifest().kind()
                        + " is not one this agent runs");
            }
            if (sandbox.isEmpty()) {
                throw new IOException("refusing process Cargo " + type + ": no sandbox here (bubblewrap and "
                        + "python3-seccomp are needed)");
            }
            if (!settings.asks().containsKey(type)) {
                throw new IOException("Cargo " + type + " has no ask: add --ask " + type + "=PRICE");
            }
            Path executable = workDir.resolve(type + ".run");
            Files.write(executable, cargo.content());
            Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("r-x------"));
            runtimes.put(type, new ProcessRuntime(sandbox.get(), executable, type, Duration.ofMinutes(10)));
        }
        return runtimes;
    }

    /**
     * The container Cargos, each checked again before every run (image digest, signature, blobs); an agent that
     * cannot run containers here (no runc or umoci, not root) stops before it registers anything.
     */
    private static Map<String, JobRuntime> containerCargos(AgentSettings settings) throws IOException {
        Map<String, JobRuntime> runtimes = new HashMap<>();
        if (settings.containers().isEmpty()) {
            return runtimes;
        }
        if (!ContainerRuntime.available()) {
            throw new IOException("refusing container Cargos " + settings.containers().keySet() + ": they need runc"
                    + " and umoci (apt-get install -y runc umoci) and an agent run as root");
        }
        List<String> keys = new ArrayList<>();
        for (Path key : settings.imageKeys()) {
            keys.add(Files.readString(key, StandardCharsets.US_ASCII));
        }
        ImageSignatureCheck check = CosignImageCheck.trusting(keys);
        OciRegistry registry = new OciRegistry(Objects.requireNonNull(settings.registry()), Duration.ofSeconds(30));
        // under /tmp, whose every ancestor the containers' unprivileged root can traverse
        Path workDir = Files.createTempDirectory("island-agent-containers-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        for (Map.Entry<String, String> container : settings.containers().entrySet()) {
            ImageReference own = container.getValue().isEmpty() ? null : ImageReference.parse(container.getValue());
            runtimes.put(container.getKey(), new ContainerRuntime(registry, own, check, workDir,
                    ContainerLimits.DEFAULT, Duration.ofMinutes(10), ContainerRuntime.Steps.NONE));
        }
        return runtimes;
    }

    private static JobRuntime runtime(AgentSettings settings) {
        return switch (settings.runtime()) {
            case "openai-upstream" -> new OpenAiUpstreamRuntime(Objects.requireNonNull(settings.upstream()),
                    settings.upstreamModel());
            case "embeddings", "minilm-stages" -> new EmbeddingsRuntime();
            case "images-demo" -> new DemoImageRuntime(settings.demoPause());
            case "automatic1111" -> new Automatic1111Runtime(Objects.requireNonNull(settings.upstream()), 20,
                    Automatic1111Runtime.POLL);
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
