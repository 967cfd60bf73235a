package io.archipelago.demo;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.ContainerTools;
import io.archipelago.agent.IslandAgent;
import io.archipelago.access.ApiKeys;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoSignature;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.PublishCargoVersion;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.publisher.api.RegisterPublisher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * With {@code archipelago.demo-islands=true}, the coordinator opens a demo market, {@value #CARGO}, and starts three
 * demo Islands in-process once its HTTP server is up, each through the same agent and HTTP API a host uses:
 * Frankfurt (DE) directly, Zurich (CH) and Amsterdam (NL) behind delaying proxies (+{@value #ZURICH_DELAY_MS} and
 * +{@value #AMSTERDAM_DELAY_MS} ms each way) that stand in for distance. They run the {@code demo} runtime, a
 * deterministic text generator, not a model. The account {@value #CONSUMER} (DE) gets 100 demo credits to bid with
 * and a fresh API key at every start, written to {@code <data-dir>/}{@value #CONSUMER_KEY_FILE}; each Island calls the
 * coordinator with a key of its host's account ({@code host-<island>}, opened here).
 * A fourth, demo-embeddings (DE), serves {@value #EMBEDDINGS_CARGO} with the {@code embeddings} runtime, a real model
 * (all-MiniLM-L6-v2, 384 dimensions); it starts on a thread of its own because loading the model takes seconds.
 * A fifth, demo-images (DE), serves {@value #IMAGES_CARGO}, priced per image, with the {@code images-demo} runtime:
 * a deterministic painter of small PNGs that reports its steps as progress, not a model.
 * A sixth, demo-container (DE), serves the container Cargo {@value #CONTAINER_CARGO}, priced per second: the demo
 * publisher ({@value #PUBLISHER}) registers its ECDSA P-256 key and publishes a signed busybox image
 * ({@link DemoContainerCargo}) through the same command as {@code POST /accounts/{id}/cargo-versions}, and the Island
 * runs the version each offer names under runc + seccomp, as {@code --container} does for a host. Without
 * {@code REGISTRY_URL} the demo starts a local registry. A machine without runc, umoci, skopeo, docker-registry or
 * root gets one log line and no container Island; {@code archipelago.demo.container-cargo=false} leaves it out too.
 */
public final class DemoIslands implements SmartLifecycle {

    static final String CARGO = "llm.chat.demo";
    static final String CONSUMER = "demo-consumer";
    static final String CONSUMER_KEY_FILE = "demo-consumer-key";
    static final String EMBEDDINGS_CARGO = "embeddings.minilm";
    static final String IMAGES_CARGO = "images.demo";
    static final String CONTAINER_CARGO = "container.demo";
    static final String PUBLISHER = "demo-publisher";
    /** What the container Island asks per second, and what the version's publisher earns per second. */
    static final long CONTAINER_ASK = 1_000;
    static final long CONTAINER_ROYALTY = 50;
    static final int ZURICH_DELAY_MS = 10;
    static final int AMSTERDAM_DELAY_MS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(DemoIslands.class);

    private final CommandGateway gateway;
    private final ApiKeys keys;
    private final Clock clock;
    private final Environment environment;
    private final Supplier<String> natsUrl;
    private final Path dataDir;
    private final boolean containerCargo;
    private final List<IslandAgent> agents = new ArrayList<>();
    private final List<DelayingProxy> proxies = new ArrayList<>();
    private @Nullable DemoContainerCargo container;
    private volatile boolean running;

    /**
     * The demo of a coordinator whose commands go through {@code gateway}, its keys through {@code keys}, whose NATS
     * server {@code natsUrl} names, with its state under {@code dataDir}; {@code containerCargo} false leaves the
     * container Island out. {@code environment} gives the HTTP port the Islands call and {@code REGISTRY_URL}.
     */
    public DemoIslands(CommandGateway gateway, ApiKeys keys, Clock clock, Environment environment,
                       Supplier<String> natsUrl, Path dataDir, boolean containerCargo) {
        this.gateway = gateway;
        this.keys = keys;
        this.clock = clock;
        this.environment = environment;
        this.natsUrl = natsUrl;
        this.dataDir = dataDir;
        this.containerCargo = containerCargo;
    }

    @Override
    public synchronized void start() {
        running = true;
        Thread starter = new Thread(this::startIslands, "demo-islands");
        starter.setDaemon(true);
        starter.start();
    }

    private synchronized void startIslands() {
        try {
            openMarket();
            writeConsumerKey();
            URI coordinator = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port", "8080"));
            URI natsUri = URI.create(natsUrl.get());
            InetSocketAddress natsAddress = new InetSocketAddress(natsUri.getHost(), natsUri.getPort());
            agents.add(IslandAgent.start(settings("demo-frankfurt", "DE", 900, coordinator, null)));
            agents.add(IslandAgent.start(settings("demo-zurich", "CH", 1_100, coordinator,
                    proxy(natsAddress, ZURICH_DELAY_MS))));
            agents.add(IslandAgent.start(settings("demo-amsterdam", "NL", 700, coordinator,
                    proxy(natsAddress, AMSTERDAM_DELAY_MS))));
            agents.add(IslandAgent.start(settings("demo-images", "DE", IMAGES_CARGO, 2_000, "images-demo", coordinator,
                    null)));
            LOG.info("demo islands online on {}: demo-frankfurt (DE), demo-zurich (CH, +{} ms), demo-amsterdam "
                    + "(NL, +{} ms); demo-images (DE) on {}; bid as {}", CARGO, ZURICH_DELAY_MS, AMSTERDAM_DELAY_MS,
                    IMAGES_CARGO, CONSUMER);
            Thread embeddings = new Thread(() -> startEmbeddingsIsland(coordinator), "demo-embeddings-island");
            embeddings.setDaemon(true);
            embeddings.start();
            if (containerCargo) {
                Thread containers = new Thread(() -> startContainerIsland(coordinator), "demo-container-island");
                containers.setDaemon(true);
                containers.start();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException failed) {
            LOG.warn("demo islands did not start: {}", failed.toString());
        }
    }

    private void startEmbeddingsIsland(URI coordinator) {
        try {
            IslandAgent agent = IslandAgent.start(settings("demo-embeddings", "DE", EMBEDDINGS_CARGO, 200,
                    "embeddings", coordinator, null));
            synchronized (this) {
                if (!running) {
                    agent.close();
                    return;
                }
                agents.add(agent);
            }
            LOG.info("demo island online on {}: demo-embeddings (DE, all-MiniLM-L6-v2)", EMBEDDINGS_CARGO);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | LinkageError failed) {
            // LinkageError: a build without the model's jars on the class path still runs the chat Islands
            LOG.warn("demo embeddings island did not start: {}", failed.toString());
        }
    }

    /**
     * Publishes the demo container Cargo and starts the Island that serves it, or says in one line why not: the
     * demo goes on without it.
     */
    private void startContainerIsland(URI coordinator) {
        String missing = ContainerTools.missing();
        if (!missing.isEmpty()) {
            LOG.info("demo container island not started: {}", missing);
            return;
        }
        try {
            String registryUrl = environment.getProperty("REGISTRY_URL", "");
            DemoContainerCargo cargo = DemoContainerCargo.prepare(dataDir.resolve("demo-registry"),
                    registryUrl.isBlank() ? null : URI.create(registryUrl));
            synchronized (this) {
                if (!running) {
                    cargo.close();
                    return;
                }
                container = cargo;
            }
            publish(cargo);
            AgentSettings settings = settings("demo-container", "DE", CONTAINER_CARGO, CONTAINER_ASK, "demo",
                    coordinator, null);
            IslandAgent agent = IslandAgent.start(new AgentSettings(settings.name(), settings.owner(),
                    settings.country(), settings.asks(), 2, List.of(), coordinator, null, settings.runtime(), null,
                    null, settings.demoPause(), Map.of(), List.of(), settings.stateDir(), settings.key(),
                    cargo.registry(), Map.of(CONTAINER_CARGO, ""), List.of(cargo.publicKeyFile())));
            synchronized (this) {
                if (!running) {
                    agent.close();
                    return;
                }
                agents.add(agent);
            }
            LOG.info("demo island online on {}: demo-container (DE, runc + seccomp) runs {} {} ({}) from {}",
                    CONTAINER_CARGO, PUBLISHER, cargo.version(), cargo.image(), cargo.registry());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException | GeneralSecurityException | RuntimeException failed) {
            LOG.warn("demo container island did not start: {}", failed.toString());
        }
    }

    /**
     * The demo publisher's profile and its signed version, through the commands the publishers' HTTP routes send;
     * a restart finds them there (the same version is not published twice).
     */
    private void publish(DemoContainerCargo cargo) {
        quietly(new RegisterCargo(new CargoType(CONTAINER_CARGO), CargoUnit.SECOND, new AccountId(PUBLISHER),
                PricePerUnit.of(CONTAINER_ROYALTY), clock.instant()));
        quietly(new RegisterPublisher(new AccountId(PUBLISHER), "Archipelago demo", cargo.publicKeyPem(),
                clock.instant()));
        VersionManifest manifest = new VersionManifest(CargoUnit.SECOND, "container", new CargoResources(256, 0, 1),
                List.of(), "GPL-2.0-only", PricePerUnit.of(CONTAINER_ROYALTY));
        try {
            gateway.sendAndWait(new PublishCargoVersion(new CargoType(CONTAINER_CARGO), cargo.version(),
                    new AccountId(PUBLISHER), new CargoImage(cargo.signed().dockerReference(),
                    cargo.image().digest()), manifest, new CargoSignature(cargo.signed().payload(),
                    cargo.signed().signature()), clock.instant()));
            LOG.info("demo publisher {} published {} {}", PUBLISHER, CONTAINER_CARGO, cargo.version());
        } catch (RuntimeException refused) {
            LOG.info("demo container version {} not published again: {}", cargo.version(), refused.getMessage());
        }
    }

    private String proxy(InetSocketAddress target, int delayMillis) throws IOException {
        DelayingProxy proxy = new DelayingProxy(target, Duration.ofMillis(delayMillis));
        proxies.add(proxy);
        return proxy.natsUrl();
    }

    /** Each demo Island keeps its NATS key under the data directory, so it takes its session back after a restart. */
    private AgentSettings settings(String name, String country, long price, URI coordinator,
                                   @Nullable String natsUrl) {
        return settings(name, country, CARGO, price, "demo", coordinator, natsUrl);
    }

    private AgentSettings settings(String name, String country, String cargo, long price, String runtime,
                                   URI coordinator, @Nullable String natsUrl) {
        AccountId host = new AccountId("host-" + name);
        quietly(new OpenAccount(host, Country.of(country), clock.instant()));
        return new AgentSettings(name, host.value(), country, Map.of(cargo, price), 4, List.of(), coordinator,
                natsUrl, runtime, null, null, Duration.ofMillis(30), Map.of(), List.of(),
                dataDir.resolve("demo-islands").resolve(name), keys.issue(host).key());
    }

    /** A key for {@value #CONSUMER}, readable by this user only, so the demo's consumer calls work as printed. */
    private void writeConsumerKey() throws IOException {
        Path file = dataDir.resolve(CONSUMER_KEY_FILE).toAbsolutePath();
        Files.createDirectories(file.getParent());
        // written beside it and moved in at once: a reader sees the last key or the new one, never half a file
        Path written = Files.createTempFile(file.getParent(), CONSUMER_KEY_FILE, ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, keys.issue(new AccountId(CONSUMER)).key() + "\n", StandardCharsets.UTF_8);
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("API key of {}: {}", CONSUMER, file);
    }

    /** Idempotent: a restart finds the market and the accounts there and leaves them as they are. */
    private void openMarket() {
        quietly(new RegisterCargo(new CargoType(CARGO), CargoUnit.THOUSAND_TOKENS, new AccountId(PUBLISHER),
                PricePerUnit.of(100), clock.instant()));
        quietly(new RegisterCargo(new CargoType(EMBEDDINGS_CARGO), CargoUnit.THOUSAND_TOKENS,
                new AccountId(PUBLISHER), PricePerUnit.of(20), clock.instant()));
        quietly(new RegisterCargo(new CargoType(IMAGES_CARGO), CargoUnit.IMAGE, new AccountId(PUBLISHER),
                PricePerUnit.of(500), clock.instant()));
        quietly(new OpenAccount(new AccountId(CONSUMER), Country.of("DE"), clock.instant()));
        quietly(new DepositCredits(new AccountId(CONSUMER), "demo-credits", MicroCredits.credits(100),
                clock.instant()));
    }

    private void quietly(Object command) {
        try {
            gateway.sendAndWait(command);
        } catch (RuntimeException alreadyThere) {
            LOG.debug("demo setup: {} not applied: {}", command.getClass().getSimpleName(), alreadyThere.toString());
        }
    }

    @Override
    public synchronized void stop() {
        agents.forEach(IslandAgent::close);
        agents.clear();
        proxies.forEach(DelayingProxy::close);
        proxies.clear();
        DemoContainerCargo published = container;
        container = null;
        if (published != null) {
            try {
                published.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Last to start, after the HTTP server the agents register through; first to stop, before it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
