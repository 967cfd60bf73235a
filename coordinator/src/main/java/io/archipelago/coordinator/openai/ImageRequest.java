package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The parts of an OpenAI image generation request the exchange uses: {@code model} (a Cargo type priced per image),
 * {@code prompt} (1 to {@value #MAX_PROMPT} characters), {@code n} (1 to {@value #MAX_IMAGES}, default 1),
 * {@code size} ({@code WxH} or {@code auto}, default {@code auto}; the Island's runtime decides which it paints),
 * {@code response_format} ({@code b64_json}, the default, or {@code url}), {@code stream} and {@code partial_images}
 * (0 to {@value #MAX_PARTIALS}: how many partial images a streamed answer shows of each image, when the runtime makes
 * them). {@code user}, {@code quality}, {@code background} and {@code output_format} are accepted and not passed on:
 * every image is a PNG.
 */
record ImageRequest(String model, String prompt, int n, String size, boolean url, boolean stream,
                    int partialImages) {

    static final int MAX_PROMPT = 32_000;
    static final int MAX_IMAGES = 10;
    static final int MAX_PARTIALS = 3;
    private static final Pattern SIZE = Pattern.compile("auto|[1-9][0-9]{0,4}x[1-9][0-9]{0,4}");

    static ImageRequest of(JsonNode request) {
        if (!request.isObject()) {
            throw invalid("the request body is a JSON object");
        }
        if (!request.path("model").isTextual() || request.path("model").asText().isBlank()) {
            throw invalid("`model` names a Cargo type");
        }
        JsonNode prompt = request.path("prompt");
        if (!prompt.isTextual() || prompt.asText().isBlank() || prompt.asText().length() > MAX_PROMPT) {
            throw invalid("`prompt` is a string of 1 to " + MAX_PROMPT + " characters");
        }
        JsonNode n = request.path("n");
        if (!n.isMissingNode() && !n.isNull()
                && (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_IMAGES)) {
            throw invalid("`n` is a whole number of 1 to " + MAX_IMAGES);
        }
        JsonNode size = request.path("size");
        if (!size.isMissingNode() && !size.isNull() && (!size.isTextual() || !SIZE.matcher(size.asText()).matches())) {
            throw invalid("`size` is WIDTHxHEIGHT in pixels, such as 256x256, or auto");
        }
        JsonNode format = request.path("response_format");
        if (!format.isMissingNode() && !format.isNull() && !format.asText().equals("b64_json")
                && !format.asText().equals("url")) {
            throw invalid("`response_format` is b64_json or url");
        }
        JsonNode stream = request.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
            throw invalid("`stream` is true or false");
        }
        JsonNode partials = request.path("partial_images");
        if (!partials.isMissingNode() && !partials.isNull() && (!partials.isIntegralNumber()
                || !partials.canConvertToInt() || partials.asInt() < 0 || partials.asInt() > MAX_PARTIALS)) {
            throw invalid("`partial_images` is a whole number of 0 to " + MAX_PARTIALS);
        }
        return new ImageRequest(request.path("model").asText(), prompt.asText(), n.isIntegralNumber() ? n.asInt() : 1,
                size.isTextual() ? size.asText() : "auto", format.asText().equals("url"), stream.asBoolean(false),
                stream.asBoolean(false) && partials.isIntegralNumber() ? partials.asInt() : 0);
    }

    /** What the Island gets: the prompt, the number of images, their size and the partial images to show. */
    ObjectNode input(ObjectMapper json) {
        return json.createObjectNode().put("prompt", prompt).put("n", n).put("size", size)
                .put("partial_images", partialImages);
    }

    private static OpenAiException invalid(String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_request", message);
    }
}
