package io.archipelago.projections.chain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A signed statement of the chain's head: after {@code position} links, the last of them for the event at
 * {@code globalIndex}, the head was {@code head}, at {@code time} (ISO-8601), signed by the coordinator node
 * {@code node} with its own key. Kept as one JSON line outside the database, so that whoever rewrites the store and
 * its links cannot make them agree with it again without a signing key. Checkpoints written before nodes were named
 * have no {@code node} and were signed over the fields without it.
 */
public record ChainCheckpoint(@JsonProperty("position") long position,
                              @JsonProperty("global_index") long globalIndex,
                              @JsonProperty("head") String head,
                              @JsonProperty("time") String time,
                              @JsonProperty("node") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String node,
                              @JsonProperty("signature") String signature) {

    /** The checkpoints' file in the data directory of the node that writes the chain. */
    public static final String FILE = "chain-checkpoints.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    static ChainCheckpoint signed(long position, long globalIndex, String head, String time, String node,
                                  ChainSigningKey key) {
        byte[] signature = key.sign(message(position, globalIndex, head, time, node));
        return new ChainCheckpoint(position, globalIndex, head, time, node,
                Base64.getEncoder().encodeToString(signature));
    }

    /** A checkpoint from its line. */
    public static ChainCheckpoint parse(String line) {
        try {
            return JSON.readValue(line, ChainCheckpoint.class);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalArgumentException("not a checkpoint: " + unreadable.getOriginalMessage(), unreadable);
        }
    }

    /** The checkpoint as its line, without the line break. */
    public String line() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Whether the signature is {@code publicKey}'s over this checkpoint's fields. */
    public boolean verifies(PublicKey publicKey) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return ChainSigningKey.verifies(publicKey, message(position, globalIndex, head, time, node), bytes);
    }

    private static byte[] message(long position, long globalIndex, String head, String time,
                                  @Nullable String node) {
        String fields = position + "\n" + globalIndex + "\n" + head + "\n" + time;
        String message = node == null ? "archipelago event-chain checkpoint v1\n" + fields
                : "archipelago event-chain checkpoint v2\n" + node + "\n" + fields;
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
