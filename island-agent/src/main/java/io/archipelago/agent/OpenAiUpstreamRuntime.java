package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Forwards each job to a local OpenAI-compatible server (llama.cpp server, Ollama, vLLM) as a streaming chat
 * completion and streams its tokens back as they come. Units are the tokens the server reports in its usage (or
 * the pieces it streamed when it reports none), in thousands, rounded up.
 */
final class OpenAiUpstreamRuntime implements JobRuntime {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI completions;
    private final @Nullable String model;

    OpenAiUpstreamRuntime(URI upstream, @Nullable String model) {
        String base = upstream.toString().replaceAll("/+$", "");
        this.completions = URI.create(base.endsWith("/v1") ? base + "/chat/completions" : base
                + "/v1/chat/completions");
        this.model = model;
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws IOException,
            InterruptedException {
        ObjectNode request = input.isObject() ? ((ObjectNode) input).deepCopy() : Codec.json().createObjectNode();
        if (model != null) {
            request.put("model", model);
        }
        request.put("stream", true);
        request.putObject("stream_options").put("include_usage", true);
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(completions)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Codec.json().writeValueAsBytes(request)))
                .build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the upstream server answered " + response.statusCode());
            }
            long pieces = 0;
            long totalTokens = -1;
            Iterator<String> events = lines.iterator();
            while (events.hasNext() && !output.cancelled()) {
                String line = events.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode event = Codec.json().readTree(data);
                String content = event.path("choices").path(0).path("delta").path("content").asText("");
                if (!content.isEmpty()) {
                    output.chunk(content);
                    pieces++;
                }
                if (event.path("usage").path("total_tokens").isNumber()) {
                    totalTokens = event.path("usage").path("total_tokens").asLong();
                }
            }
            return Units.ofTokens(totalTokens >= 0 ? totalTokens : pieces);
        }
    }

    @Override
    public String label() {
        return "openai-upstream " + completions;
    }
}
