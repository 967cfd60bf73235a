package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.protocol.InlineArtifacts;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * One image generation job's output from the Island: its progress payloads relayed as {@code progress} events
 * ({@code value}, {@code max}, {@code stage}) and its inline artifacts joined, checked (size, SHA-256, PNG, no more
 * than {@code n}), kept in {@link ImageArtifacts} and relayed as {@code image_generation.completed} events when a
 * {@link Sink} is given; either way gathered into OpenAI's images response. An Island whose output is not that
 * (parts out of order, bytes that do not match their reference, another content type, more images than asked, none
 * at all) fails the request with 502 {@code island_output_malformed}, and its job is cancelled at the images that
 * reached the client. A client that leaves is reported once to the {@code onGone} action with the images it got.
 */
final class ImageRelay implements JobRelay, WholeAnswer.Relay {

    /** Where a streamed answer's events go: an HTTP response as server-sent events, or a WebSocket. */
    interface Sink {
        /** Writes event {@code type}; false when the client is gone. */
        boolean event(String type, ObjectNode data);

        /** Ends the answer with {@code failure}. */
        void error(OpenAiException failure);

        /** Proof of life while the job waits for an Island; a sink that has its own pings ignores it. */
        void beat();

        /** The answer ended normally. */
        void end();
    }

    /** What to do when the client left, or the Island's output was refused, before the job ended. */
    interface GoneAction {
        void left(long imagesDelivered, String reason);
    }

    /** One image received, as kept. */
    record Image(int index, String sha256, byte[] bytes) {
    }

    private final ObjectMapper json;
    private final ImageArtifacts artifacts;
    private final String jobId;
    private final String account;
    private final ImageRequest request;
    private final long created;
    private final String baseUrl;
    private final Duration bidTtl;
    private final @Nullable Sink sink;
    private final InlineArtifacts.Assembly assembly;
    private final List<Image> images = new ArrayList<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private @Nullable GoneAction onGone;
    private boolean gone;
    private long delivered;
    private long units;

    ImageRelay(ObjectMapper json, ImageArtifacts artifacts, String jobId, String account, ImageRequest request,
               long created, String baseUrl, Duration bidTtl, @Nullable Sink sink) {
        this.json = json;
        this.artifacts = artifacts;
        this.jobId = jobId;
        this.account = account;
        this.request = request;
        this.created = created;
        this.baseUrl = baseUrl;
        this.bidTtl = bidTtl;
        this.sink = sink;
        this.assembly = new InlineArtifacts.Assembly(artifacts.maxBytes());
    }

    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with the units the job settled, or exceptionally with {@link OpenAiException}. */
    @Override
    public CompletableFuture<Long> finished() {
        return finished;
    }

    synchronized void onGone(GoneAction action) {
        onGone = action;
    }

    synchronized List<Image> images() {
        return List.copyOf(images);
    }

    @Override
    public synchronized void onChunk(StreamChunk chunk) {
        started.complete(null);
        if (finished.isDone()) {
            return;
        }
        Payload payload = chunk.payload();
        try {
            if (payload instanceof Payloads.Progress progress) {
                ObjectNode event = json.createObjectNode().put("type", "progress").put("value", progress.value())
                        .put("max", progress.max()).put("stage", progress.stage()).put("job_id", jobId);
                send("progress", event);
            } else if (payload instanceof Payloads.ArtifactPart part) {
                assembly.add(part);
            } else if (payload instanceof Payloads.Artifact artifact) {
                image(artifact);
            }
        } catch (IOException malformed) {
            refuse(malformed.getMessage());
        }
    }

    private void image(Payloads.Artifact artifact) throws IOException {
        byte[] bytes = assembly.complete(artifact.ref());
        if (!artifact.ref().contentType().equals("image/png")) {
            throw new IOException("an image is image/png, not " + artifact.ref().contentType());
        }
        if (artifact.partial() != null) {
            partial(artifact.partial(), bytes);
            return;
        }
        if (images.size() >= request.n()) {
            throw new IOException("the Island sent more than the " + request.n() + " images asked");
        }
        Image image = new Image(images.size(), artifact.ref().sha256(), bytes);
        artifacts.keep(jobId, image.index(), account, request.model(), image.sha256(), "image/png", bytes);
        images.add(image);
        ObjectNode event = json.createObjectNode().put("type", "image_generation.completed");
        item(event, image);
        event.put("created_at", created).put("size", request.size()).put("quality", "auto")
                .put("background", "opaque").put("output_format", "png").put("job_id", jobId);
        event.set("usage", usage());
        if (send("image_generation.completed", event)) {
            delivered++;
        }
    }

    /** An early look at the image being made: shown on a stream that asked for that many, never kept or counted. */
    private void partial(int number, byte[] bytes) {
        if (number >= request.partialImages()) {
            return;
        }
        ObjectNode event = json.createObjectNode().put("type", "image_generation.partial_image")
                .put("b64_json", Base64.getEncoder().encodeToString(bytes)).put("partial_image_index", number)
                .put("index", images.size()).put("created_at", created).put("size", request.size())
                .put("quality", "auto").put("background", "opaque").put("output_format", "png").put("job_id", jobId);
        send("image_generation.partial_image", event);
    }

    @Override
    public synchronized void onCompleted(long settled) {
        started.complete(null);
        if (finished.isDone()) {
            return;
        }
        units = settled;
        if (images.isEmpty()) {
            fail(new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error", "island_output_malformed",
                    "the Island completed the job without an image"));
            return;
        }
        // finished before the sink ends, so that its end never reads as a client that left
        finished.complete(settled);
        if (sink != null && !gone) {
            sink.end();
        }
    }

    @Override
    public synchronized void onFailed(String reason) {
        fail(new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error", "island_failed",
                "the Island could not complete the job: " + reason));
    }

    @Override
    public synchronized void onExpired(String reason) {
        fail(OpenAiException.expired(reason, bidTtl));
    }

    /** An SSE comment while the job waits for an Island. */
    synchronized void beat() {
        if (sink != null && !started.isDone() && !gone) {
            sink.beat();
        }
    }

    /** The client's connection ended or broke before the job did. */
    @Override
    public synchronized void left() {
        if (gone || finished.isDone()) {
            return;
        }
        gone = true;
        if (onGone != null) {
            onGone.left(delivered, "the client closed the connection");
        }
    }

    /** The request ran out of its time: it ends with {@code failure} and the job is cancelled as when one leaves. */
    @Override
    public synchronized void timedOut(OpenAiException failure) {
        if (finished.isDone()) {
            return;
        }
        fail(failure);
        if (onGone != null) {
            onGone.left(delivered, "the request ran out of time");
        }
    }

    /** The Island's output is not images of this request: the request fails and its job is let go. */
    private void refuse(String reason) {
        fail(new OpenAiException(HttpStatus.BAD_GATEWAY, "server_error", "island_output_malformed",
                "the Island's output is not the images asked: " + reason));
        if (onGone != null) {
            onGone.left(delivered, "its output was refused: " + reason);
        }
    }

    private void fail(OpenAiException failure) {
        started.complete(null);
        if (finished.isDone()) {
            return;
        }
        finished.completeExceptionally(failure);
        if (sink != null && !gone) {
            sink.error(failure);
        }
    }

    /** OpenAI's images response, once {@link #finished} completed normally. */
    synchronized ObjectNode response() {
        ObjectNode response = json.createObjectNode().put("created", created);
        ArrayNode data = response.putArray("data");
        for (Image image : images) {
            item(data.addObject(), image);
        }
        response.put("background", "opaque").put("output_format", "png").put("size", request.size())
                .put("quality", "auto");
        response.set("usage", usage());
        response.putObject("archipelago").put("job_id", jobId).put("unit", "image").put("units", units);
        return response;
    }

    private void item(ObjectNode item, Image image) {
        if (request.url()) {
            item.put("url", baseUrl + artifacts.signedPath(jobId, image.index()));
        } else {
            item.put("b64_json", Base64.getEncoder().encodeToString(image.bytes()));
        }
        item.put("sha256", image.sha256());
    }

    /** OpenAI counts tokens; the exchange prices images, which {@code archipelago.units} states. */
    private ObjectNode usage() {
        ObjectNode usage = json.createObjectNode().put("input_tokens", 0);
        usage.putObject("input_tokens_details").put("image_tokens", 0).put("text_tokens", 0);
        return usage.put("output_tokens", 0).put("total_tokens", 0);
    }

    private boolean send(String type, ObjectNode event) {
        if (sink == null || gone) {
            return false;
        }
        if (!sink.event(type, event)) {
            left();
            return false;
        }
        return true;
    }
}
