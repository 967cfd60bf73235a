package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.OfferedVersion;
import org.jspecify.annotations.Nullable;

/** Runs jobs of the Cargo types an Island serves. */
interface JobRuntime {

    /**
     * Runs one job with {@code input} (an OpenAI-style request body), writing its output to {@code output}, and
     * returns the units it used. Throws when the job cannot be done.
     */
    long run(String cargo, JsonNode input, long maxUnits, Output output) throws Exception;

    /**
     * Runs one job offered with the Cargo {@code version} the market assigned it (null for an unversioned Cargo
     * type). A runtime that runs no image (a process Cargo, a model server) runs the job as before.
     */
    default long run(String cargo, JsonNode input, long maxUnits, @Nullable OfferedVersion version, Output output)
            throws Exception {
        return run(cargo, input, maxUnits, output);
    }

    /** A short name shown wherever the runtime's output shows. */
    String label();
}
