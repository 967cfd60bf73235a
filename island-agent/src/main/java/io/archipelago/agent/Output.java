package io.archipelago.agent;

/** Where a runtime writes a job's output, piece by piece; the agent numbers and sends each piece. */
interface Output {

    /** Sends one piece (a token, text, progress or an embedding as JSON). */
    void chunk(String text);

    /** Whether the coordinator took the job away: a runtime stops as soon as it sees this. */
    boolean cancelled();
}
