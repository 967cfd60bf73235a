package io.archipelago.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each job is asked to do (its prompt, messages or input), left here by whoever submits the bid and handed to
 * the Island with the job. The market only knows prices and units; the input travels beside it. A job without an
 * input gets an empty object.
 *
 * <p>An input is in the {@link InputStore} before {@link #put} returns, so a job placed after a coordinator restart
 * (or by another node) runs on it; inputs larger than {@link InputLimits#maxBytes()} are refused. Inputs left or read
 * here are also kept in memory until their job settles, so the usual placement, right after the bid, reads no
 * database. At settlement ({@link #forget}) an input is deleted, or kept for the retention; {@link #sweep} deletes
 * whatever is past its time, which also covers settlements this process never saw.
 */
public final class JobInputs {

    private static final Logger LOG = LoggerFactory.getLogger(JobInputs.class);

    private final InputStore store;
    private final InputLimits limits;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(ObjectNode input, Instant since) {
    }

    public JobInputs(InputStore store, InputLimits limits, Clock clock) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
    }

    /** Leaves {@code input} for {@code jobId}, its owner not known; call it before submitting the job's bid. */
    public void put(String jobId, ObjectNode input) {
        put(jobId, null, input);
    }

    /**
     * Leaves {@code input} for {@code jobId} of {@code account} (null when not known), replacing any left before;
     * call it before submitting the job's bid. It is stored durably when this returns.
     *
     * @throws InputTooLarge when the input is larger than the limit; nothing is stored then
     */
    public void put(String jobId, @Nullable String account, ObjectNode input) {
        byte[] json;
        try {
            json = Codec.json().writeValueAsBytes(input);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalArgumentException("the job's input cannot be written as JSON", unwritable);
        }
        if (json.length > limits.maxBytes()) {
            throw new InputTooLarge(json.length, limits.maxBytes());
        }
        Instant now = clock.instant();
        store.put(jobId, account, json, now, now.plus(limits.maxAge()));
        held.put(jobId, new Held(input.deepCopy(), now));
    }

    /**
     * The input left for {@code jobId}, from memory or else from the store; an empty object when none was left.
     *
     * @throws RuntimeException when the store cannot be read: a job is never sent on an input that may be missing
     */
    ObjectNode get(String jobId) {
        Held known = held.get(jobId);
        if (known != null) {
            return known.input;
        }
        Optional<byte[]> stored = store.get(jobId);
        if (stored.isEmpty()) {
            return Codec.json().createObjectNode();
        }
        ObjectNode input = decode(jobId, stored.get());
        held.put(jobId, new Held(input, clock.instant()));
        return input;
    }

    /**
     * The job settled (or its bid was rejected): its input is deleted now, or once the retention ran out. An input
     * this process neither left nor read belongs to a job it only saw in the history it reads at start; deleting
     * those one by one would cost a statement per past job at every start, so the sweep takes them by age.
     */
    void forget(String jobId) {
        if (held.remove(jobId) == null) {
            return;
        }
        try {
            if (limits.retention().isZero()) {
                store.delete(jobId);
            } else {
                store.deleteAfter(jobId, clock.instant().plus(limits.retention()));
            }
        } catch (RuntimeException unreachable) {
            // the input stays until its maximum age; the sweep deletes it then
            LOG.warn("the input of settled job {} could not be released now: {}", jobId, unreachable.toString());
        }
    }

    /**
     * Deletes the stored inputs past their time and forgets in memory those older than the maximum age, whose jobs
     * settled where this process did not see it.
     *
     * @return how many stored inputs were deleted
     */
    public int sweep() {
        Instant now = clock.instant();
        Instant oldest = now.minus(limits.maxAge());
        held.entrySet().removeIf(entry -> entry.getValue().since.isBefore(oldest));
        return store.deleteDue(now);
    }

    private static ObjectNode decode(String jobId, byte[] json) {
        try {
            JsonNode node = Codec.json().readTree(json);
            if (node instanceof ObjectNode input) {
                return input;
            }
            throw new IllegalStateException("the stored input of job " + jobId + " is not a JSON object");
        } catch (IOException unreadable) {
            throw new UncheckedIOException("the stored input of job " + jobId + " cannot be read", unreadable);
        }
    }
}
