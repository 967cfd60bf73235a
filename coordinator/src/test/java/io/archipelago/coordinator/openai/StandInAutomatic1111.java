package io.archipelago.coordinator.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a host's AUTOMATIC1111 server, not a model, that fails mid-way as a GPU out of memory would:
 * {@code POST /sdapi/v1/txt2img} walks through half its sampling steps (visible on {@code GET /sdapi/v1/progress})
 * and then answers 500.
 */
final class StandInAutomatic1111 implements AutoCloseable {

    final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger step = new AtomicInteger();
    private final HttpServer server;

    StandInAutomatic1111() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/sdapi/v1/txt2img", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            try {
                for (int i = 0; i <= 10; i++) {
                    step.set(i);
                    TimeUnit.MILLISECONDS.sleep(60);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 500, "{\"error\":\"OutOfMemoryError\",\"detail\":\"CUDA out of memory\"}");
        });
        server.createContext("/sdapi/v1/progress", exchange -> answer(exchange, 200, "{\"progress\":"
                + step.get() / 20.0 + ",\"state\":{\"job_no\":0,\"sampling_step\":" + step.get()
                + ",\"sampling_steps\":20}}"));
        server.start();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
