package io.archipelago.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each job is asked to do (its prompt, messages or input), left here by whoever submits the bid and handed to
 * the Island with the job. The market only knows prices and units; the input travels beside it. A job without an
 * input gets an empty object.
 */
public final class JobInputs {

    private final Map<String, ObjectNode> inputs = new ConcurrentHashMap<>();

    /** Leaves {@code input} for {@code jobId}; call it before submitting the job's bid. */
    public void put(String jobId, ObjectNode input) {
        inputs.put(jobId, input.deepCopy());
    }

    ObjectNode get(String jobId) {
        ObjectNode input = inputs.get(jobId);
        return input == null ? Codec.json().createObjectNode() : input;
    }

    void forget(String jobId) {
        inputs.remove(jobId);
    }
}
