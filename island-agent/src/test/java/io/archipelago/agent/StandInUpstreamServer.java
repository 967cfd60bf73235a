package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a local OpenAI-compatible server (llama.cpp server, Ollama, vLLM), not a model: it answers every
 * streaming chat completion with the given tokens as server-sent events, then a usage event and {@code [DONE]}, the
 * way those servers do, and keeps the requests it received.
 */
final class StandInUpstreamServer implements AutoCloseable {

    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StandInUpstreamServer(List<String> tokens, int totalTokens) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            requests.add(Codec.json().readTree(exchange.getRequestBody()));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String token : tokens) {
                    event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                            + "\"delta\":{\"content\":" + Codec.json().writeValueAsString(token) + "}}]}");
                }
                event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                        + "{\"prompt_tokens\":5,\"completion_tokens\":" + (totalTokens - 5) + ",\"total_tokens\":"
                        + totalTokens + "}}");
                event(out, "[DONE]");
            }
        });
        server.start();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
