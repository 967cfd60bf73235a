package io.archipelago.exchange.ids;

import java.util.regex.Pattern;

/**
 * Identifies a job from the bid that asks for it to its settlement: 1–64 letters, digits, '-', '_' or '.'. Chosen
 * by the caller, so a retried submission cannot create a second job.
 */
public record JobId(String value) implements Comparable<JobId> {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public JobId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a job id is 1-64 letters, digits, '.', '_' or '-', got " + value);
        }
    }

    @Override
    public int compareTo(JobId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
