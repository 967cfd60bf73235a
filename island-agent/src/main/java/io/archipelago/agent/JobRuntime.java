package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs jobs of the Cargo types an Island serves. */
interface JobRuntime {

    /**
     * Runs one job with {@code input} (an OpenAI-style request body), writing its output to {@code output}, and
     * returns the units it used. Throws when the job cannot be done.
     */
    long run(String cargo, JsonNode input, long maxUnits, Output output) throws Exception;

    /** A short name shown wherever the runtime's output shows. */
    String label();
}
