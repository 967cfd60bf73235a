package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a host's AUTOMATIC1111 server, not a model: {@code POST /sdapi/v1/txt2img} walks through its
 * sampling steps (one every few milliseconds, visible on {@code GET /sdapi/v1/progress} as AUTOMATIC1111 reports
 * them) and answers {@code batch_size} copies of the given PNG bytes, Base64 as the real server does; when told to
 * fail, it answers 500 after half its steps. It keeps the txt2img requests it received and counts interrupts.
 */
final class StandInAutomatic1111Server implements AutoCloseable {

    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger interrupts = new AtomicInteger();
    private final AtomicInteger step = new AtomicInteger(-1);
    private final AtomicInteger steps = new AtomicInteger(1);
    private final HttpServer server;

    StandInAutomatic1111Server(byte[] png, boolean failMidWay) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/sdapi/v1/txt2img", exchange -> {
            JsonNode request = Codec.json().readTree(exchange.getRequestBody());
            requests.add(request);
            int total = request.path("steps").asInt(20);
            steps.set(total);
            try {
                for (int i = 0; i <= total; i++) {
                    step.set(i);
                    if (failMidWay && i == total / 2) {
                        answer(exchange, 500, "{\"error\":\"OutOfMemoryError\",\"detail\":\"CUDA out of memory\"}");
                        return;
                    }
                    TimeUnit.MILLISECONDS.sleep(15);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            StringBuilder images = new StringBuilder();
            for (int i = 0; i < request.path("batch_size").asInt(1); i++) {
                images.append(i == 0 ? "" : ",").append('"').append(Base64.getEncoder().encodeToString(png))
                        .append('"');
            }
            step.set(-1);
            answer(exchange, 200, "{\"images\":[" + images + "],\"parameters\":{},\"info\":\"{}\"}");
        });
        server.createContext("/sdapi/v1/progress", exchange -> answer(exchange, 200, "{\"progress\":"
                + Math.max(0, step.get()) / (double) steps.get() + ",\"eta_relative\":0.5,\"state\":{\"job\":\"\","
                + "\"job_count\":1,\"job_no\":0,\"sampling_step\":" + Math.max(0, step.get()) + ",\"sampling_steps\":"
                + steps.get() + "},\"current_image\":null}"));
        server.createContext("/sdapi/v1/interrupt", exchange -> {
            interrupts.incrementAndGet();
            answer(exchange, 200, "{}");
        });
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
