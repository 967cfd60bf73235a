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
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fronts the host's own AUTOMATIC1111 (stable-diffusion-webui) server: each job is one {@code POST
 * /sdapi/v1/txt2img} ({@code prompt}, {@code width} and {@code height} from {@code size}, {@code batch_size} from
 * {@code n}); while it runs, {@code GET /sdapi/v1/progress} is polled and each new sampling step becomes a progress
 * payload ({@code sampling_step} of {@code sampling_steps}, which a batch shares, stage {@code "sampling"}; the
 * last, {@code steps} of {@code steps}, when the images came). The PNGs it returns travel inline in the job's
 * output; the units are the images returned. A job the coordinator cancels is interrupted on the server
 * ({@code POST /sdapi/v1/interrupt}).
 */
final class Automatic1111Runtime implements JobRuntime {

    static final String STAGE = "sampling";
    static final int MAX_IMAGES = 8;
    /** How often the server's progress is asked while it samples. */
    static final Duration POLL = Duration.ofMillis(200);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final int steps;
    private final Duration poll;

    Automatic1111Runtime(URI server, int steps, Duration poll) {
        this.base = URI.create(server.toString().replaceAll("/+$", "") + "/");
        this.steps = steps;
        this.poll = poll;
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws Exception {
        int images = input.path("n").asInt(1);
        if (images < 1 || images > MAX_IMAGES || images > maxUnits) {
            throw new IllegalArgumentException("1 to " + Math.min(MAX_IMAGES, maxUnits) + " images a job, asked "
                    + images);
        }
        String[] size = input.path("size").asText("512x512").replace("auto", "512x512").split("x", -1);
        if (size.length != 2) {
            throw new IllegalArgumentException("size is WxH, got " + input.path("size").asText());
        }
        ObjectNode request = Codec.json().createObjectNode().put("prompt", input.path("prompt").asText(""))
                .put("width", Integer.parseInt(size[0])).put("height", Integer.parseInt(size[1]))
                .put("batch_size", images).put("n_iter", 1).put("steps", steps);
        CompletableFuture<HttpResponse<byte[]>> generation = http.sendAsync(HttpRequest.newBuilder(
                        base.resolve("sdapi/v1/txt2img")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Codec.json().writeValueAsBytes(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long reported = -1;
        HttpResponse<byte[]> response = null;
        while (response == null) {
            if (output.cancelled()) {
                interrupt();
                generation.cancel(true);
                return 0;
            }
            try {
                response = generation.get(poll.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException running) {
                reported = progress(output, reported);
            } catch (ExecutionException failed) {
                throw new IOException("the AUTOMATIC1111 server could not be reached: " + failed.getCause());
            }
        }
        if (response.statusCode() != 200) {
            throw new IOException("the AUTOMATIC1111 server answered " + response.statusCode());
        }
        JsonNode answer = Codec.json().readTree(response.body());
        if (reported < steps) {
            output.progress(steps, steps, STAGE);
        }
        long made = 0;
        for (JsonNode image : answer.path("images")) {
            if (made == images || output.cancelled()) {
                break;
            }
            output.inlineArtifact(Base64.getDecoder().decode(image.asText()), "image/png");
            made++;
        }
        if (made == 0) {
            throw new IOException("the AUTOMATIC1111 server returned no image");
        }
        return made;
    }

    /** Reports the server's sampling step when it moved on; returns the step reported last. */
    private long progress(Output output, long reported) throws IOException, InterruptedException {
        HttpResponse<byte[]> polled = http.send(HttpRequest.newBuilder(
                base.resolve("sdapi/v1/progress?skip_current_image=true")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (polled.statusCode() != 200) {
            return reported;
        }
        JsonNode state = Codec.json().readTree(polled.body()).path("state");
        long step = state.path("sampling_step").asLong(-1);
        long perImage = state.path("sampling_steps").asLong(0);
        if (step < 0 || perImage < 1) {
            return reported;
        }
        // a batch samples all its images in the same steps
        long value = Math.min(step, perImage);
        if (value > reported) {
            output.progress(value, perImage, STAGE);
            return value;
        }
        return reported;
    }

    private void interrupt() {
        http.sendAsync(HttpRequest.newBuilder(base.resolve("sdapi/v1/interrupt"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Override
    public String label() {
        return "automatic1111 " + base;
    }
}
