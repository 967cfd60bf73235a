package io.archipelago.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes and reads island protocol messages as JSON. Reading is defensive, because the bytes come from machines the
 * exchange does not control: anything larger than {@link #MAX_BYTES}, not valid JSON of the expected shape, or of
 * another version than {@link #VERSION} is refused with a {@link RejectedMessage} that says which.
 */
public final class Codec {

    /** The only protocol version this build writes and reads. */
    public static final int VERSION = 1;

    /** The largest message read, in bytes: a chunk is a few tokens, a job's input a prompt. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A number is a number and a string a string, as the published schema says; no guessing between them.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private Codec() {
    }

    /** The mapper messages are written with, for callers that build JSON inputs. */
    public static ObjectMapper json() {
        return JSON;
    }

    public static byte[] encode(Message message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /**
     * Reads a message of {@code type}.
     *
     * @throws RejectedMessage when the bytes are oversized, malformed or of an unknown version
     */
    public static <T extends Message> T decode(byte[] bytes, Class<T> type) throws RejectedMessage {
        if (bytes.length > MAX_BYTES) {
            throw new RejectedMessage(RejectedMessage.Reason.OVERSIZED,
                    bytes.length + " bytes is more than the " + MAX_BYTES + " a message may have");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException notJson) {
            throw new RejectedMessage(RejectedMessage.Reason.MALFORMED, "not JSON: " + firstLine(notJson));
        }
        if (tree == null || !tree.isObject()) {
            throw new RejectedMessage(RejectedMessage.Reason.MALFORMED, "not a JSON object");
        }
        JsonNode version = tree.get("v");
        if (version == null || !version.isInt()) {
            throw new RejectedMessage(RejectedMessage.Reason.MALFORMED, "no protocol version \"v\"");
        }
        if (version.intValue() != VERSION) {
            throw new RejectedMessage(RejectedMessage.Reason.UNKNOWN_VERSION,
                    "version " + version.intValue() + " is not " + VERSION);
        }
        JsonNode payloadVersion = tree.path("payload").path("v");
        if (payloadVersion.isInt() && payloadVersion.intValue() != Payload.VERSION) {
            throw new RejectedMessage(RejectedMessage.Reason.UNKNOWN_VERSION,
                    "payload version " + payloadVersion.intValue() + " is not " + Payload.VERSION);
        }
        JsonNode offeredVersion = tree.path("version").path("v");
        if (type == JobOffer.class && offeredVersion.isInt() && offeredVersion.intValue() != OfferedVersion.VERSION) {
            throw new RejectedMessage(RejectedMessage.Reason.UNKNOWN_VERSION,
                    "offered version's version " + offeredVersion.intValue() + " is not " + OfferedVersion.VERSION);
        }
        if (type == JobOffer.class && !tree.has("version")) {
            // a job on an unversioned Cargo type, or a coordinator from before versions were offered
            ((ObjectNode) tree).putNull("version");
        }
        JsonNode stage = tree.path("stage");
        if (type == JobOffer.class && stage.has("v") && (!stage.get("v").isInt()
                || stage.get("v").intValue() != StageOffer.VERSION)) {
            throw new RejectedMessage(RejectedMessage.Reason.UNKNOWN_VERSION,
                    "stage offer's version " + stage.get("v") + " is not " + StageOffer.VERSION);
        }
        if (type == JobOffer.class && !tree.has("stage")) {
            // a job one Island runs whole, or a coordinator from before pipelines were dispatched
            ((ObjectNode) tree).putNull("stage");
        }
        if (type == ProbeReply.class && !tree.has("memoryMib")) {
            // an Island that offers pipeline stages no memory, or an agent from before memory was reported
            ((ObjectNode) tree).putNull("memoryMib");
        }
        if (type == JobOutput.class) {
            // Fields a version 1 Island may leave out; every other field must be there.
            for (String optional : new String[] {"text", "error", "payload"}) {
                if (!tree.has(optional)) {
                    ((ObjectNode) tree).putNull(optional);
                }
            }
            // an artifact is final unless it says it is partial
            if (tree.get("payload") instanceof ObjectNode payload && "artifact".equals(payload.path("type").asText())
                    && !payload.has("partial")) {
                payload.putNull("partial");
            }
        }
        try {
            return JSON.treeToValue(tree, type);
        } catch (IOException | RuntimeException badShape) {
            throw new RejectedMessage(RejectedMessage.Reason.MALFORMED,
                    "not a " + type.getSimpleName() + ": " + firstLine(badShape));
        }
    }

    private static String firstLine(Exception failure) {
        String text = String.valueOf(failure.getMessage());
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
