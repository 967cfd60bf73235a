package io.archipelago.coordinator.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A whole coordinator in a JVM of its own ({@code java ... CoordinatorApplication}), so that its heap and threads are
 * its own and not the load driver's: by default embedded PostgreSQL without fsync, its own nats-server, no Kafka, the
 * operator token {@code test-operator}; the caller's properties replace any of these. Its heap is read after a full
 * collection forced with {@code jcmd <pid> GC.run}.
 */
final class CoordinatorProcess implements AutoCloseable {

    static final String OPERATOR_TOKEN = "test-operator";
    private static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;

    private final Process process;
    private final URI url;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    /** Processes this coordinator started, stopped on {@link #close} if they outlived it. */
    private final List<ProcessHandle> orphans = new ArrayList<>();

    private CoordinatorProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    static CoordinatorProcess start(Path dir, List<String> jvmOptions, Map<String, Object> properties)
            throws IOException {
        int port;
        if (properties.get("server.port") instanceof Integer given) {
            // a coordinator started again on the port its clients know
            port = given;
        } else {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Ddisable-axoniq-console-message=true", "-cp", System.getProperty("java.class.path"),
                "io.archipelago.coordinator.CoordinatorApplication"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server.port", port);
        settings.put("archipelago.data-dir", dir.resolve("data"));
        settings.put("archipelago.postgres.port", 0);
        settings.put("archipelago.postgres.durable", false);
        settings.put("archipelago.nats.port", 0);
        settings.put("archipelago.security.operator-token", OPERATOR_TOKEN);
        settings.put("archipelago.kafka.export.enabled", false);
        settings.put("archipelago.kafka.embedded", false);
        settings.put("logging.level.io.zonky", "WARN");
        settings.put("logging.level.org.axonframework", "WARN");
        settings.put("logging.level.org.flywaydb", "WARN");
        // a setting given twice would reach Spring as both values joined: the caller's replaces the default
        settings.putAll(properties);
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = dir.resolve("coordinator.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CoordinatorProcess coordinator = new CoordinatorProcess(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            // a start on a machine shared with other builds can take minutes
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the coordinator exited: " + log);
                        }
                        return coordinator.get("/actuator/health").path("status").asText().equals("UP");
                    });
        } catch (RuntimeException notUp) {
            // nobody will close a coordinator that was never handed out
            try {
                coordinator.close();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            }
            throw notUp;
        }
        return coordinator;
    }

    URI url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** A GET as the operator, its JSON body. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    /** A POST as the operator; anything but 2xx is an error. */
    JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", OPERATOR).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return body.isEmpty() && response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    }

    /** The market of {@code cargo} and consumer-1 (DE) with 100 credits; returns consumer-1's API key. */
    String openMarket(String cargo) throws IOException, InterruptedException {
        post("/cargos", "{\"cargo\":\"" + cargo + "\",\"unit\":\"THOUSAND_TOKENS\","
                + "\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":10}");
        post("/accounts", "{\"accountId\":\"consumer-1\",\"country\":\"DE\"}");
        post("/accounts/consumer-1/deposits", "{\"depositId\":\"deposit-1\",\"amountMicroCredits\":100000000}");
        return post("/accounts/consumer-1/keys", "").path("key").asText();
    }

    /** A request with {@code credential} as its bearer (null: none), whatever its status. */
    HttpResponse<String> send(String method, String path, @Nullable String credential, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).header("Content-Type",
                "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed or closed. What the coordinator started
     * (its embedded PostgreSQL, its nats-server) is left running as such a kill leaves it, for the next coordinator
     * on the same data to find; {@link #close} stops what is still left then.
     */
    void kill() throws InterruptedException {
        orphans.addAll(process.descendants().toList());
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the coordinator (pid " + process.pid() + ") outlived SIGKILL");
        }
    }

    /** Heap in use after a full collection (System.gc() in the coordinator's JVM) and live threads. */
    Footprint footprint() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed");
        }
        long heap = get("/actuator/metrics/jvm.memory.used?tag=area:heap").path("measurements").get(0)
                .path("value").asLong();
        long threads = get("/actuator/metrics/jvm.threads.live").path("measurements").get(0).path("value").asLong();
        return new Footprint(heap, threads);
    }

    /** The distinct warnings and errors the coordinator logged, numbers left out, with how often each came. */
    Map<String, Long> complaints() throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\t")
                            || line.contains("Exception"))
                    .map(line -> line.replaceFirst("^\\S+\\s+", "").replaceAll("[0-9]+", "#"))
                    .collect(Collectors.groupingBy(line -> line.length() > 300 ? line.substring(0, 300) : line,
                            TreeMap::new, Collectors.counting()));
        }
    }

    /** The first {@code top} lines of the coordinator's heap histogram (live objects, largest classes first). */
    List<String> histogram(int top) throws IOException, InterruptedException {
        Process histogram = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        List<String> lines = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .skip(1).limit(top + 2).toList();
        histogram.waitFor(60, TimeUnit.SECONDS);
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        // a coordinator that stops in time stops what it started; one that must be killed leaves it behind
        orphans.addAll(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle orphan : orphans) {
            orphan.destroyForcibly();
        }
    }

    /** Heap bytes in use and live threads of the coordinator's JVM at one moment. */
    record Footprint(long heapBytes, long threads) {
    }
}
