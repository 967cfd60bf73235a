package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.JobId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies a workflow: {@code wf-} and 1-50 letters, digits, '-', '_' or '.'. Attempt {@code a} of the step at
 * position {@code i} runs as job {@code <workflow id>-<i>-<a>}, so a job's id names the workflow it belongs to.
 */
public record WorkflowId(String value) {

    private static final Pattern FORM = Pattern.compile("wf-[A-Za-z0-9._-]{1,50}");
    private static final Pattern JOB = Pattern.compile("(wf-[A-Za-z0-9._-]{1,50})-[0-9]{1,2}-[0-9]{1,2}");

    public WorkflowId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a workflow id is 'wf-' and 1-50 letters, digits, '.', '_' or '-', got "
                    + value);
        }
    }

    /** The job that attempt {@code attempt} (from 1) of the step at {@code index} (from 0) runs as. */
    public JobId job(int index, int attempt) {
        return new JobId(value + "-" + index + "-" + attempt);
    }

    /** The workflow whose step {@code job} would be an attempt of, if its id has that form. */
    /** The hold on the owner's account that funds this workflow's steps: its worst case, reserved at submission. */
    public String hold() {
        return "workflow:" + value;
    }

    public static Optional<WorkflowId> ofJob(JobId job) {
        Matcher matcher = JOB.matcher(job.value());
        return matcher.matches() ? Optional.of(new WorkflowId(matcher.group(1))) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
