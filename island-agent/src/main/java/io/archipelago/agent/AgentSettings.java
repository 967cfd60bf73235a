package io.archipelago.agent;

import io.archipelago.protocol.ProbeReply;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a host runs its Island.
 *
 * @param name        the Island's id on the exchange
 * @param owner       the host's account, which earns what the Island sells
 * @param country     ISO 3166-1 alpha-2 code of where the machine runs
 * @param asks        Cargo type → asking price in micro-credits per unit
 * @param slots       jobs run at once
 * @param schedule    weekly selling windows [start, end) in minutes from Monday 00:00 UTC; empty: always
 * @param coordinator the coordinator's HTTP base URL
 * @param natsUrl     the NATS server to use instead of the one the coordinator names (e.g. through a proxy)
 * @param runtime     what runs the jobs: {@code demo}, {@code openai-upstream}, {@code embeddings},
 *                    {@code images-demo} (a deterministic painter, not a model) or {@code automatic1111}
 * @param upstream    the OpenAI-compatible server {@code openai-upstream} forwards to, or the AUTOMATIC1111 server
 *                    {@code automatic1111} fronts
 * @param upstreamModel the model name sent upstream
 * @param demoPause   the pause between tokens of the {@code demo} runtime (between steps of {@code images-demo},
 *                    before each pipeline stage of {@code minilm-stages} runs), so its streaming shows
 * @param trust       publisher → pinned Ed25519 public key (Base64 X.509) whose signatures this Island accepts
 * @param cargos      manifests of signed process Cargos to serve, each verified before anything of it runs
 * @param stateDir    where the Island keeps its NATS key between runs, to prove it when it asks for a new session
 *                    (null: nowhere, so a restarted agent cannot take its Island's session back)
 * @param key         the owner's API key (or the operator token), sent as {@code Authorization: Bearer} on every
 *                    call to the coordinator; null sends none
 * @param registry    the OCI registry container Cargos are pulled from ({@code REGISTRY_URL}); null: none
 * @param containers  Cargo type -> its image, {@code REPOSITORY@sha256:DIGEST}, run under runc + seccomp when an
 *                    offer names no version; empty: the Cargo runs only the published versions its offers name
 * @param imageKeys   files of the ECDSA P-256 public keys (PEM) whose cosign-format image signatures are accepted
 * @param memoryMib   the memory in MiB the Island offers a pipeline stage, reported with every probe answer; null:
 *                    the agent's own heap limit ({@link OfferedMemory}), where the stages it runs keep their weights
 */
public record AgentSettings(String name, String owner, String country, Map<String, Long> asks, int slots,
                           List<int[]> schedule, URI coordinator, @Nullable String natsUrl, String runtime,
                           @Nullable URI upstream, @Nullable String upstreamModel, Duration demoPause,
                           Map<String, String> trust, List<Path> cargos, @Nullable Path stateDir,
                           @Nullable String key, @Nullable URI registry, Map<String, String> containers,
                           List<Path> imageKeys, @Nullable Long memoryMib) {

    /** Settings without container Cargos. */
    public AgentSettings(String name, String owner, String country, Map<String, Long> asks, int slots,
                         List<int[]> schedule, URI coordinator, @Nullable String natsUrl, String runtime,
                         @Nullable URI upstream, @Nullable String upstreamModel, Duration demoPause,
                         Map<String, String> trust, List<Path> cargos, @Nullable Path stateDir,
                         @Nullable String key) {
        this(name, owner, country, asks, slots, schedule, coordinator, natsUrl, runtime, upstream, upstreamModel,
                demoPause, trust, cargos, stateDir, key, null, Map.of(), List.of(), null);
    }

    /** Settings without a key. */
    public AgentSettings(String name, String owner, String country, Map<String, Long> asks, int slots,
                         List<int[]> schedule, URI coordinator, @Nullable String natsUrl, String runtime,
                         @Nullable URI upstream, @Nullable String upstreamModel, Duration demoPause,
                         Map<String, String> trust, List<Path> cargos, @Nullable Path stateDir) {
        this(name, owner, country, asks, slots, schedule, coordinator, natsUrl, runtime, upstream, upstreamModel,
                demoPause, trust, cargos, stateDir, null);
    }

    /** Settings without signed process Cargos. */
    public AgentSettings(String name, String owner, String country, Map<String, Long> asks, int slots,
                         List<int[]> schedule, URI coordinator, @Nullable String natsUrl, String runtime,
                         @Nullable URI upstream, @Nullable String upstreamModel, Duration demoPause) {
        this(name, owner, country, asks, slots, schedule, coordinator, natsUrl, runtime, upstream, upstreamModel,
                demoPause, Map.of(), List.of(), null, null);
    }

    /** Settings with container Cargos, offering the agent's own heap limit as memory. */
    public AgentSettings(String name, String owner, String country, Map<String, Long> asks, int slots,
                         List<int[]> schedule, URI coordinator, @Nullable String natsUrl, String runtime,
                         @Nullable URI upstream, @Nullable String upstreamModel, Duration demoPause,
                         Map<String, String> trust, List<Path> cargos, @Nullable Path stateDir,
                         @Nullable String key, @Nullable URI registry, Map<String, String> containers,
                         List<Path> imageKeys) {
        this(name, owner, country, asks, slots, schedule, coordinator, natsUrl, runtime, upstream, upstreamModel,
                demoPause, trust, cargos, stateDir, key, registry, containers, imageKeys, null);
    }

    /** These settings, calling the coordinator with {@code key}. */
    public AgentSettings withKey(String key) {
        return new AgentSettings(name, owner, country, asks, slots, schedule, coordinator, natsUrl, runtime, upstream,
                upstreamModel, demoPause, trust, cargos, stateDir, key, registry, containers, imageKeys, memoryMib);
    }

    /** These settings, offering {@code memoryMib} MiB to pipeline stages. */
    public AgentSettings withMemoryMib(long memoryMib) {
        return new AgentSettings(name, owner, country, asks, slots, schedule, coordinator, natsUrl, runtime, upstream,
                upstreamModel, demoPause, trust, cargos, stateDir, key, registry, containers, imageKeys, memoryMib);
    }

    static final List<String> RUNTIMES = List.of("demo", "openai-upstream", "embeddings", "minilm-stages",
            "images-demo", "automatic1111");

    static final String USAGE = """
            usage: island-agent --name ID --country CC --ask CARGO=PRICE [--ask ...] --coordinator URL
                                [--owner ACCOUNT] [--slots N] [--schedule always|START-END,...] [--nats URL]
                                [--runtime demo|openai-upstream|embeddings|minilm-stages|images-demo|automatic1111]
                                [--upstream URL] [--upstream-model NAME]
                                [--demo-pause-ms N] [--trust PUBLISHER=KEY ...] [--cargo MANIFEST ...]
                                [--state-dir DIR] [--key KEY] [--registry URL] [--container CARGO=IMAGE ...]
                                [--image-key PEM ...] [--memory-mib N]
              --ask CARGO=PRICE   a Cargo type served and its asking price in micro-credits per unit
              --runtime           images-demo paints deterministic PNGs (not a model); automatic1111 fronts
                                  the host's AUTOMATIC1111 server at --upstream URL; minilm-stages runs
                                  all-MiniLM-L6-v2 whole as embeddings does and also takes pipeline stages
                                  of it (a layer range each, activations to the next stage's Island)
              --schedule          weekly selling windows in minutes from Monday 00:00 UTC, e.g. 0-600,1440-2040
              --nats URL          connect to NATS here instead of where the coordinator says (e.g. a proxy)
              --trust P=KEY       pin publisher P's Ed25519 public key (Base64 X.509, from CargoSigner keygen)
              --cargo MANIFEST    serve a signed process Cargo (its .cargo.json); refused unless its signature
                                  and content check out, run under bubblewrap + seccomp
              --state-dir DIR     where the Island's NATS key is kept between runs (~/.archipelago-agent/ID)
              --key KEY           the owner account's API key (default: environment ARCHIPELAGO_KEY)
              --registry URL      the OCI registry of container Cargos (default: environment REGISTRY_URL)
              --container C       serve container Cargo C: each job runs the published version its offer names,
                                  pulled by digest, its cosign-format signature checked against the publisher's
                                  key before each run, run by runc under seccomp
              --container C=IMAGE as above, and jobs offered without a version run the image
                                  REPOSITORY@sha256:DIGEST, checked against --image-key
              --image-key PEM     trust image signatures by this ECDSA P-256 public key (cosign.pub)
              --memory-mib N      the memory offered to pipeline stages, reported with every probe answer
                                  (default: the agent's heap limit, where the stages keep their weights)
            """;

    public AgentSettings {
        asks = Map.copyOf(asks);
        schedule = List.copyOf(schedule);
        trust = Map.copyOf(trust);
        cargos = List.copyOf(cargos);
        containers = Map.copyOf(containers);
        imageKeys = List.copyOf(imageKeys);
        if (!containers.isEmpty() && registry == null) {
            throw new IllegalArgumentException("container Cargos need --registry URL (or REGISTRY_URL)");
        }
        if (containers.values().stream().anyMatch(image -> !image.isEmpty()) && imageKeys.isEmpty()) {
            throw new IllegalArgumentException("a container Cargo with its own image needs at least one --image-key");
        }
        for (Map.Entry<String, String> container : containers.entrySet()) {
            if (!container.getValue().isEmpty()) {
                ImageReference.parse(container.getValue());
            }
            if (!asks.containsKey(container.getKey())) {
                throw new IllegalArgumentException("container Cargo " + container.getKey() + " has no ask: add --ask "
                        + container.getKey() + "=PRICE");
            }
        }
        if (asks.isEmpty()) {
            throw new IllegalArgumentException("an Island serves at least one Cargo type (--ask CARGO=PRICE)");
        }
        if (memoryMib != null && (memoryMib < 0 || memoryMib > ProbeReply.MAX_MEMORY_MIB)) {
            throw new IllegalArgumentException("--memory-mib is 0-" + ProbeReply.MAX_MEMORY_MIB + ", got " + memoryMib);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("an Island runs at least one job at a time, got --slots " + slots);
        }
        if (!RUNTIMES.contains(runtime)) {
            throw new IllegalArgumentException("--runtime is one of " + RUNTIMES + ", got " + runtime);
        }
        if ((runtime.equals("openai-upstream") || runtime.equals("automatic1111")) && upstream == null) {
            throw new IllegalArgumentException("the " + runtime + " runtime needs --upstream URL");
        }
    }

    /** Reads the command line; throws IllegalArgumentException with what is wrong. */
    public static AgentSettings parse(String... args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.computeIfAbsent(args[i].substring(2), key -> new ArrayList<>()).add(args[++i]);
        }
        String name = required(options, "name");
        Map<String, Long> asks = new LinkedHashMap<>();
        for (String ask : options.getOrDefault("ask", List.of())) {
            int equals = ask.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--ask is CARGO=PRICE, got " + ask);
            }
            asks.put(ask.substring(0, equals), Long.parseLong(ask.substring(equals + 1)));
        }
        String upstream = single(options, "upstream");
        AgentSettings settings = new AgentSettings(name, orElse(single(options, "owner"), name),
                required(options, "country"), asks, Integer.parseInt(orElse(single(options, "slots"), "2")),
                schedule(orElse(single(options, "schedule"), "always")), URI.create(required(options, "coordinator")),
                single(options, "nats"), orElse(single(options, "runtime"), "demo"),
                upstream == null ? null : URI.create(upstream), single(options, "upstream-model"),
                // a stage is held only when asked to: by default pipelines run at full speed
                Duration.ofMillis(Long.parseLong(orElse(single(options, "demo-pause-ms"),
                        "minilm-stages".equals(single(options, "runtime")) ? "0" : "20"))),
                pairs(options.getOrDefault("trust", List.of()), "--trust is PUBLISHER=KEY"),
                options.getOrDefault("cargo", List.of()).stream().map(Path::of).toList(),
                Path.of(orElse(single(options, "state-dir"),
                        Path.of(System.getProperty("user.home"), ".archipelago-agent", name).toString())),
                single(options, "key") != null ? single(options, "key") : System.getenv("ARCHIPELAGO_KEY"),
                registry(orElse(single(options, "registry"), orElse(System.getenv("REGISTRY_URL"), ""))),
                containers(options.getOrDefault("container", List.of())),
                options.getOrDefault("image-key", List.of()).stream().map(Path::of).toList(),
                single(options, "memory-mib") == null ? null : Long.valueOf(single(options, "memory-mib")));
        for (String known : List.of("name", "owner", "country", "ask", "slots", "schedule", "coordinator", "nats",
                "runtime", "upstream", "upstream-model", "demo-pause-ms", "trust", "cargo", "state-dir", "key",
                "registry", "container", "image-key", "memory-mib")) {
            options.remove(known);
        }
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
        return settings;
    }

    /** {@code --container C} (published versions only: no image of its own) or {@code C=IMAGE}. */
    private static Map<String, String> containers(List<String> values) {
        Map<String, String> containers = new LinkedHashMap<>();
        for (String value : values) {
            int equals = value.indexOf('=');
            if (equals == 0 || value.isBlank()) {
                throw new IllegalArgumentException("--container is CARGO or CARGO=REPOSITORY@sha256:DIGEST, got "
                        + value);
            }
            containers.put(equals < 0 ? value : value.substring(0, equals), equals < 0 ? ""
                    : value.substring(equals + 1));
        }
        return containers;
    }

    private static Map<String, String> pairs(List<String> values, String form) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String value : values) {
            int equals = value.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(form + ", got " + value);
            }
            pairs.put(value.substring(0, equals), value.substring(equals + 1));
        }
        return pairs;
    }

    private static @Nullable URI registry(String url) {
        return url.isBlank() ? null : URI.create(url);
    }

    static List<int[]> schedule(String text) {
        List<int[]> windows = new ArrayList<>();
        if (text.equals("always")) {
            return windows;
        }
        for (String window : text.split(",")) {
            String[] bounds = window.trim().split("-");
            if (bounds.length != 2) {
                throw new IllegalArgumentException("a schedule window is START-END in minutes, got " + window);
            }
            windows.add(new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])});
        }
        return windows;
    }

    private static String required(Map<String, List<String>> options, String name) {
        String value = single(options, name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static @Nullable String single(Map<String, List<String>> options, String name) {
        List<String> values = options.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("--" + name + " is given more than once");
        }
        return values.get(0);
    }

    private static String orElse(@Nullable String value, String fallback) {
        return value == null ? fallback : value;
    }
}
