package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.JobId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies a batch: {@code batch-} and 1-50 letters, digits, '-', '_' or '.'. Attempt {@code a} of item {@code i}
 * runs as job {@code <batch id>-<i>-<a>}, so a job's id names the batch it belongs to.
 */
public record BatchId(String value) {

    private static final Pattern FORM = Pattern.compile("batch-[A-Za-z0-9._-]{1,50}");
    private static final Pattern JOB = Pattern.compile("(batch-[A-Za-z0-9._-]{1,50})-[0-9]{1,3}-[0-9]{1,2}");

    public BatchId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a batch id is 'batch-' and 1-50 letters, digits, '.', '_' or '-', got "
                    + value);
        }
    }

    /** The job that attempt {@code attempt} (from 1) of item {@code index} (from 0) runs as. */
    public JobId job(int index, int attempt) {
        return new JobId(value + "-" + index + "-" + attempt);
    }

    /** The batch whose item {@code job} would be an attempt of, if its id has that form. */
    /** The hold on the owner's account that funds this batch's items: its worst case, reserved at submission. */
    public String hold() {
        return "batch:" + value;
    }

    public static Optional<BatchId> ofJob(JobId job) {
        Matcher matcher = JOB.matcher(job.value());
        return matcher.matches() ? Optional.of(new BatchId(matcher.group(1))) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
