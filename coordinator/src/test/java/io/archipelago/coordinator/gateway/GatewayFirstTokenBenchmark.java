package io.archipelago.coordinator.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.command.market.BidBatcher;
import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Time to first token that the OpenAI-compatible door adds, open loop: every {@code 1/rate} s a request starts on
 * schedule, whether or not earlier ones ended, alternating between the gateway ({@code POST /v1/chat/completions}
 * with {@code stream: true} over a plain keep-alive socket, timed from the request's first byte written to the read
 * that brought the first content delta) and its anchor, the same job placed directly (input left with the bridge,
 * output subscribed on the bridge's stream, bid through the same {@link BidBatcher}, timed from the start of that to
 * the first chunk at the in-process subscriber). Both kinds share the {@code rate} on the same coordinator and
 * Islands, whose demo runtime answers without a pause: a test double for a host's model server. Prints quantiles of
 * both and of their difference; asserts nothing. Run: {@code scripts/bench-gateway.sh}. System properties:
 * {@code bench.rate} (requests per second of both kinds together, default 100), {@code bench.warmup-seconds} (10),
 * {@code bench.seconds} (62: 3,100 of each kind).
 */
class GatewayFirstTokenBenchmark {

    private static final int RATE = Integer.getInteger("bench.rate", 100);
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmup-seconds", 10);
    private static final int MEASURED_SECONDS = Integer.getInteger("bench.seconds", 62);
    private static final int CONNECTIONS = 64;
    private static final int ISLANDS = 2;
    private static final int SLOTS = 1_000;
    private static final String MODEL = "llm.chat.demo";
    private static final AccountId CONSUMER = new AccountId("consumer-1");
    private static final String PROMPT = "hello islands";

    @TempDir
    Path dataDir;

    @Test
    void printsTimeToFirstTokenThroughTheGatewayBesideTheIslandsOwnStream() throws Exception {
        try (ConfigurableApplicationContext coordinator = start(dataDir)) {
            URI url = URI.create("http://127.0.0.1:" + coordinator.getEnvironment().getProperty("local.server.port"));
            openMarket(coordinator);
            List<IslandAgent> islands = new ArrayList<>();
            try {
                for (int i = 0; i < ISLANDS; i++) {
                    islands.add(IslandAgent.start(new AgentSettings("fast-" + i, "host-fast-" + i, "DE",
                            Map.of(MODEL, 1_000L), SLOTS, List.of(), url, null, "demo", null, null,
                            Duration.ZERO).withKey("test-operator")));
                }
                MarketViews markets = coordinator.getBean(MarketViews.class);
                await().atMost(Duration.ofSeconds(60)).until(() -> markets.find(MODEL)
                        .map(market -> market.onlineAsks() == ISLANDS).orElse(false));
                run(coordinator, url, issueKey(url));
            } finally {
                islands.forEach(IslandAgent::close);
            }
        }
    }

    private static void run(ConfigurableApplicationContext coordinator, URI url, String key) throws Exception {
        Queue<SseConnection> connections = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            connections.add(new SseConnection(url, key));
        }
        Direct direct = new Direct(coordinator);
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + PROMPT + "\"}]}";
        int slots = RATE * (WARM_UP_SECONDS + MEASURED_SECONDS);
        int warmUpSlots = RATE * WARM_UP_SECONDS;
        long period = 1_000_000_000L / RATE;
        Timing[] timings = new Timing[slots];
        long[] lateness = new long[slots];
        // a thread per request in flight: a start never waits for an earlier request to end (open loop)
        ExecutorService workers = Executors.newCachedThreadPool();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = 0;
        long wallBefore = 0;
        long start = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < slots; i++) {
            long due = start + i * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmUpSlots) {
                cpuBefore = os.getProcessCpuTime();
                wallBefore = System.nanoTime();
            }
            int slot = i;
            workers.execute(() -> {
                lateness[slot] = System.nanoTime() - due;
                try {
                    timings[slot] = slot % 2 == 0 ? viaGateway(connections, url, key, body)
                            : direct.run("direct-" + slot);
                } catch (Exception broken) {
                    timings[slot] = Timing.failed(broken.toString());
                }
            });
        }
        double cores = (os.getProcessCpuTime() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
        workers.shutdown();
        workers.awaitTermination(2, TimeUnit.MINUTES);
        for (SseConnection connection : connections) {
            connection.close();
        }
        report(timings, lateness, warmUpSlots, cores);
    }

    private static Timing viaGateway(Queue<SseConnection> connections, URI url, String key, String body)
            throws IOException {
        SseConnection connection = connections.poll();
        if (connection == null) {
            connection = new SseConnection(url, key);
        }
        SseConnection.Exchange exchange;
        try {
            exchange = connection.post(body);
        } catch (IOException broken) {
            // whatever is left unread on it belongs to this request: the connection is not used again
            connection.close();
            throw broken;
        }
        connections.add(connection);
        return exchange.succeeded() ? new Timing((exchange.firstContent() - exchange.sent()) / 1_000,
                (exchange.ended() - exchange.sent()) / 1_000, "")
                : Timing.failed("status " + exchange.status() + ", [DONE] " + exchange.done());
    }

    private static void report(Timing[] timings, long[] lateness, int warmUpSlots, double cores) {
        List<Long> gateway = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        List<Long> paired = new ArrayList<>();
        List<Long> gatewayWhole = new ArrayList<>();
        List<Long> directWhole = new ArrayList<>();
        int gatewayErrors = 0;
        int directErrors = 0;
        for (int i = warmUpSlots; i + 1 < timings.length; i += 2) {
            Timing viaGateway = timings[i];
            Timing directly = timings[i + 1];
            if (viaGateway == null || viaGateway.failed()) {
                gatewayErrors++;
            } else {
                gateway.add(viaGateway.firstMicros());
                gatewayWhole.add(viaGateway.wholeMicros());
            }
            if (directly == null || directly.failed()) {
                directErrors++;
            } else {
                direct.add(directly.firstMicros());
                directWhole.add(directly.wholeMicros());
            }
            if (viaGateway != null && !viaGateway.failed() && directly != null && !directly.failed()) {
                paired.add(viaGateway.firstMicros() - directly.firstMicros());
            }
        }
        Quantiles viaGateway = quantiles(gateway);
        Quantiles directly = quantiles(direct);
        System.out.printf("gateway first token:  %s%n", viaGateway.millis());
        System.out.printf("direct first token:   %s%n", directly.millis());
        System.out.printf("gateway minus direct: %s  (quantile minus quantile)%n", viaGateway.minus(directly).millis());
        System.out.printf("paired difference:    %s  (each request minus the direct job started 1/rate after it)%n",
                quantiles(paired).millis());
        System.out.printf("gateway whole answer: %s%n", quantiles(gatewayWhole).millis());
        System.out.printf("direct whole answer:  %s%n", quantiles(directWhole).millis());
        System.out.printf("load: %d requests/s, gateway and direct alternating, for %d s after %d s warm-up; errors"
                        + " %d gateway, %d direct; start lateness %s; JVM CPU %.2f cores (coordinator, Islands and"
                        + " client)%n",
                RATE, MEASURED_SECONDS, WARM_UP_SECONDS, gatewayErrors, directErrors,
                Quantiles.of(Arrays.stream(lateness, warmUpSlots, lateness.length).map(nanos -> nanos / 1_000)
                        .toArray()).millis(), cores);
        Arrays.stream(timings, warmUpSlots, timings.length).filter(timing -> timing == null || timing.failed())
                .collect(Collectors.groupingBy(timing -> timing == null ? "unfinished" : timing.failure(),
                        Collectors.counting()))
                .forEach((failure, count) -> System.out.printf("load: %d failed with %s%n", count, failure));
    }

    private static Quantiles quantiles(List<Long> micros) {
        return Quantiles.of(micros.stream().mapToLong(Long::longValue).toArray());
    }

    /** A request's time to its first content and to its end, in microseconds, or why it failed. */
    private record Timing(long firstMicros, long wholeMicros, String failure) {

        /** Failures told apart by kind, not by job: numbers are left out. */
        static Timing failed(String failure) {
            return new Timing(-1, -1, failure.replaceAll("[0-9a-f-]{8,}|[0-9]{4,}", "#"));
        }

        boolean failed() {
            return firstMicros < 0;
        }
    }

    /** The anchor: what {@code JobDesk} does for the gateway, done in-process with the coordinator's own beans. */
    private static final class Direct {
        private final IslandBridge bridge;
        private final BidBatcher batcher;
        private final Clock clock;
        private final ObjectNode input;

        Direct(ConfigurableApplicationContext coordinator) {
            this.bridge = coordinator.getBean(IslandBridge.class);
            this.batcher = coordinator.getBean(BidBatcher.class);
            this.clock = coordinator.getBean(Clock.class);
            ObjectMapper json = new ObjectMapper();
            this.input = json.createObjectNode();
            input.putArray("messages").addObject().put("role", "user").put("content", PROMPT);
        }

        Timing run(String jobId) throws Exception {
            CompletableFuture<Long> first = new CompletableFuture<>();
            CompletableFuture<Long> done = new CompletableFuture<>();
            long start = System.nanoTime();
            bridge.inputs().put(jobId, input);
            StreamSubscription subscription = bridge.streams().subscribe(jobId, new JobStreamListener() {
                @Override
                public void onChunk(StreamChunk chunk) {
                    first.complete(System.nanoTime());
                }

                @Override
                public void onCompleted(long units) {
                    done.complete(units);
                }

                @Override
                public void onFailed(String reason) {
                    first.completeExceptionally(new IllegalStateException(reason));
                    done.completeExceptionally(new IllegalStateException(reason));
                }
            });
            try {
                BidOutcome outcome = batcher.submit(new SubmitBid(new CargoType(MODEL), new JobId(jobId), CONSUMER,
                        PricePerUnit.of(5_000), 10, null, null, null, false, Duration.ofSeconds(3), clock.instant()))
                        .get(30, TimeUnit.SECONDS);
                if (outcome.status() == BidOutcome.Status.REJECTED) {
                    throw new IllegalStateException("rejected: " + outcome.reason());
                }
                long arrived;
                try {
                    arrived = first.get(30, TimeUnit.SECONDS);
                } catch (TimeoutException none) {
                    throw new IllegalStateException("no chunk in 30 s after the bid was " + outcome.status());
                }
                done.get(30, TimeUnit.SECONDS);
                return new Timing((arrived - start) / 1_000, (System.nanoTime() - start) / 1_000, "");
            } finally {
                subscription.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("archipelago.data-dir", dataDir.toString());
        properties.put("archipelago.postgres.port", 0);
        properties.put("archipelago.postgres.durable", false);
        properties.put("archipelago.nats.port", 0);
        properties.put("archipelago.security.operator-token", "test-operator");
        // one key sends every request here; its rate limit (50/s by default) is not what is measured
        properties.put("archipelago.security.rate-limit.requests-per-second", 10_000);
        properties.put("archipelago.security.rate-limit.burst", 10_000);
        properties.put("archipelago.kafka.export.enabled", false);
        properties.put("archipelago.kafka.embedded", false);
        properties.put("logging.level.io.zonky", "WARN");
        properties.put("logging.level.org.axonframework", "WARN");
        properties.put("logging.level.org.flywaydb", "WARN");
        properties.put("logging.level.io.archipelago", "WARN");
        properties.put("logging.level.io.archipelago.bridge.Prober", "INFO");
        String[] arguments = properties.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CoordinatorApplication.class).run(arguments);
    }

    /** Opens the market of {@link #MODEL} and gives {@link #CONSUMER} a million credits, through the command bus. */
    private static void openMarket(ConfigurableApplicationContext coordinator) {
        CommandGateway commands = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        commands.sendAndWait(new RegisterCargo(new CargoType(MODEL), CargoUnit.THOUSAND_TOKENS,
                new AccountId("publisher-1"), PricePerUnit.of(10), clock.instant()));
        commands.sendAndWait(new OpenAccount(CONSUMER, Country.of("DE"), clock.instant()));
        commands.sendAndWait(new DepositCredits(CONSUMER, "deposit-1", MicroCredits.credits(1_000_000),
                clock.instant()));
    }

    /** An API key of {@link #CONSUMER}, issued by the operator. */
    private static String issueKey(URI url) throws Exception {
        HttpResponse<String> issued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        url.resolve("/accounts/" + CONSUMER.value() + "/keys"))
                .header("Authorization", "Bearer test-operator")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (issued.statusCode() != 201) {
            throw new IllegalStateException("no key: " + issued.statusCode() + " " + issued.body());
        }
        return new ObjectMapper().readTree(issued.body()).path("key").asText();
    }
}
