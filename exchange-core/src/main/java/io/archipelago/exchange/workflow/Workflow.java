package io.archipelago.exchange.workflow;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.account.api.Accounts;
import io.archipelago.exchange.account.api.HoldRefused;
import io.archipelago.exchange.account.api.Reservation;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.workflow.api.CancelWorkflow;
import io.archipelago.exchange.workflow.api.CompleteStep;
import io.archipelago.exchange.workflow.api.FailMode;
import io.archipelago.exchange.workflow.api.FailStep;
import io.archipelago.exchange.workflow.api.InvalidWorkflow;
import io.archipelago.exchange.workflow.api.RecordStepBid;
import io.archipelago.exchange.workflow.api.RecordStepPlaced;
import io.archipelago.exchange.workflow.api.RecordStepReassigned;
import io.archipelago.exchange.workflow.api.StepAttempted;
import io.archipelago.exchange.workflow.api.StepBidSubmitted;
import io.archipelago.exchange.workflow.api.StepCancelled;
import io.archipelago.exchange.workflow.api.StepCompleted;
import io.archipelago.exchange.workflow.api.StepFailed;
import io.archipelago.exchange.workflow.api.StepPlaced;
import io.archipelago.exchange.workflow.api.StepReassigned;
import io.archipelago.exchange.workflow.api.StepRetried;
import io.archipelago.exchange.workflow.api.StepSpec;
import io.archipelago.exchange.workflow.api.SubmitWorkflow;
import io.archipelago.exchange.workflow.api.WorkflowEnded;
import io.archipelago.exchange.workflow.api.WorkflowId;
import io.archipelago.exchange.workflow.api.WorkflowStatus;
import io.archipelago.exchange.workflow.api.WorkflowSubmitted;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * One workflow: a DAG of steps ({@link Dag} checked it at submission), each attempt of a step a job of its own
 * ({@link WorkflowId#job}). A step is queued once every step it depends on completed (the roots at once), in
 * declaration order; queued steps are attempted one at a time, the next once the bid of the one before went in, so
 * that steps whose dependencies are met run side by side, each avoiding the Islands the workflow's running steps are
 * on (a retry avoids instead the Islands that failed or lost it). Its input is rendered ({@link Templates}) from its
 * dependencies' outputs when it is attempted. An attempt the market failed is retried while attempts are left; a step
 * that failed for good cancels the rest ({@link FailMode#FAIL_FAST}) or only what depends on it
 * ({@link FailMode#BEST_EFFORT}). A completed step whose output did not reach the coordinator counts as failed when
 * another step needs that output. Reports about a job that is not a step's current attempt change nothing.
 */
public class Workflow {

    /** The most attempts a step may be given. */
    public static final int MAX_ATTEMPTS = 10;
    /** Why an attempt whose output is needed but lost is tried again. */
    public static final String OUTPUT_LOST = "the job completed but its output, which a dependant renders, did not "
            + "reach the coordinator";

    @AggregateIdentifier
    private WorkflowId workflowId;
    private AccountId account;
    private FailMode failMode;
    private int maxAttempts;
    private Map<String, String> parameters;
    private List<Step> steps;
    private Deque<Integer> queued;
    private @Nullable JobId placing;
    private boolean ended;

    protected Workflow() {
        // for Axon
    }

    @CommandHandler
    public Workflow(SubmitWorkflow command, Accounts accounts) {
        if (command.maxAttempts() < 1 || command.maxAttempts() > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("a step is given 1-" + MAX_ATTEMPTS + " attempts");
        }
        Dag.check(command.steps(), command.parameters().keySet());
        // the worst case is reserved with the submission, in its unit of work: the steps are paid for whatever else
        // the account spends while they run, and a workflow the account cannot pay for is never recorded
        MicroCredits worstCase = worstCase(command.steps());
        Reservation held = accounts.hold(command.account(), command.workflowId().hold(), worstCase, command.at());
        if (held != Reservation.RESERVED) {
            MicroCredits available = accounts.availableOf(command.account()).orElse(MicroCredits.ZERO);
            throw new HoldRefused("the workflow's worst case, " + command.steps().size()
                    + " steps at their limit x maximum units", worstCase, available);
        }
        apply(new WorkflowSubmitted(command.workflowId(), command.account(), List.copyOf(command.steps()),
                new TreeMap<>(command.parameters()), command.failMode(), command.maxAttempts(), command.at()))
                // in a constructor the event is applied after it returns
                .andThen(() -> attemptNext(command.at()));
    }

    /** Every step at its limit × maximum units, once. */
    static MicroCredits worstCase(List<StepSpec> steps) {
        long sum = 0;
        try {
            for (StepSpec step : steps) {
                sum = Math.addExact(sum, Math.multiplyExact(step.terms().limit().microCredits(),
                        step.terms().maxUnits()));
            }
        } catch (ArithmeticException overflow) {
            throw new InvalidWorkflow("invalid_bid_terms", "the steps' limit x maximum units overflow a 64-bit sum");
        }
        return MicroCredits.of(sum);
    }

    @CommandHandler
    void handle(RecordStepBid command) {
        Optional<Step> step = current(command.jobId());
        if (step.isPresent() && command.jobId().equals(placing)) {
            apply(new StepBidSubmitted(workflowId, step.get().spec.key(), step.get().index, command.jobId(),
                    command.placedOn(), command.at()));
            attemptNext(command.at());
        }
    }

    @CommandHandler
    void handle(RecordStepPlaced command) {
        current(command.jobId()).ifPresent(step -> apply(new StepPlaced(workflowId, step.spec.key(), step.index,
                step.attempts, command.jobId(), command.islandId(), command.at())));
    }

    @CommandHandler
    void handle(RecordStepReassigned command) {
        current(command.jobId()).ifPresent(step -> apply(new StepReassigned(workflowId, step.spec.key(), step.index,
                step.attempts, command.jobId(), command.islandId(), command.at())));
    }

    @CommandHandler
    void handle(CompleteStep command, Accounts accounts) {
        Optional<Step> found = current(command.jobId());
        if (found.isEmpty()) {
            return;
        }
        Step step = found.get();
        if (command.output() == null && hasDependants(step)) {
            failed(step, command.jobId(), command.islandId(), OUTPUT_LOST, true, command.cost(), command.at(),
                    accounts);
            return;
        }
        apply(new StepCompleted(workflowId, step.spec.key(), step.index, step.attempts, command.jobId(),
                command.islandId(), command.units(), command.cost(), command.output(), command.at()));
        endOrAttemptNext(command.at(), accounts);
    }

    @CommandHandler
    void handle(FailStep command, Accounts accounts) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a failed step says why");
        }
        current(command.jobId()).ifPresent(step -> failed(step, command.jobId(), command.islandId(),
                command.reason(), command.retryable(), MicroCredits.ZERO, command.at(), accounts));
    }

    @CommandHandler
    void handle(CancelWorkflow command, Accounts accounts) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a cancelled workflow says why");
        }
        if (ended) {
            return;
        }
        for (Step step : steps) {
            cancel(step, command.reason(), command.at());
        }
        end(true, command.at(), accounts);
    }

    private void failed(Step step, JobId jobId, @Nullable IslandId islandId, String reason, boolean retryable,
                        MicroCredits cost, Instant at, Accounts accounts) {
        if (retryable && step.attempts < maxAttempts) {
            SortedSet<IslandId> avoiding = new TreeSet<>(step.failedOn);
            if (islandId != null) {
                avoiding.add(islandId);
            }
            apply(new StepRetried(workflowId, step.spec.key(), step.index, step.attempts, jobId, islandId, reason,
                    List.copyOf(avoiding), cost, at));
        } else {
            apply(new StepFailed(workflowId, step.spec.key(), step.index, step.attempts, jobId, islandId, reason,
                    cost, at));
            String why = "step '" + step.spec.key() + "' failed";
            for (Step other : steps) {
                if (failMode == FailMode.FAIL_FAST) {
                    cancel(other, "the workflow fails fast: " + why, at);
                } else if (dependsOn(other, step)) {
                    cancel(other, "it depends on " + why, at);
                }
            }
        }
        endOrAttemptNext(at, accounts);
    }

    /**
     * Cancels {@code step} unless it already ended, naming its current attempt for the market to cancel: attempts
     * are placed in the order they are asked for, so by the time the cancellation is acted on its bid is in.
     */
    private void cancel(Step step, String reason, Instant at) {
        if (!step.over) {
            apply(new StepCancelled(workflowId, step.spec.key(), step.index, step.jobId, step.spec.cargo(), reason,
                    at));
        }
    }

    /** The step whose current attempt runs as {@code jobId}, while that attempt has not ended. */
    private Optional<Step> current(JobId jobId) {
        return WorkflowId.ofJob(jobId).filter(workflowId::equals).flatMap(ignored -> steps.stream()
                .filter(step -> jobId.equals(step.jobId) && !step.over).findFirst());
    }

    private boolean hasDependants(Step step) {
        return steps.stream().anyMatch(other -> other.spec.dependsOn().contains(step.spec.key()));
    }

    /** Whether {@code step} depends on {@code on}, directly or through other steps. */
    private boolean dependsOn(Step step, Step on) {
        for (String key : step.spec.dependsOn()) {
            Step dependency = byKey(key);
            if (dependency == on || dependsOn(dependency, on)) {
                return true;
            }
        }
        return false;
    }

    private Step byKey(String key) {
        return steps.stream().filter(step -> step.spec.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no step " + key));
    }

    private void endOrAttemptNext(Instant at, Accounts accounts) {
        if (!end(false, at, accounts)) {
            attemptNext(at);
        }
    }

    /**
     * Ends the workflow once every step is over ({@code byOwner}: it was cancelled), returning what is left of its
     * hold to the account in the same unit of work; whether it ended.
     */
    private boolean end(boolean byOwner, Instant at, Accounts accounts) {
        if (!ended && steps.stream().allMatch(step -> step.over)) {
            int completed = (int) steps.stream().filter(step -> step.status == Status.COMPLETED).count();
            int failed = (int) steps.stream().filter(step -> step.status == Status.FAILED).count();
            MicroCredits cost = steps.stream().map(step -> step.cost).reduce(MicroCredits.ZERO, MicroCredits::plus);
            WorkflowStatus status = status(completed, byOwner);
            apply(new WorkflowEnded(workflowId, status, steps.size(), completed, failed,
                    steps.size() - completed - failed, cost, at));
            accounts.releaseHold(account, workflowId.hold(), "workflow " + workflowId + " ended "
                    + status.name().toLowerCase(Locale.ROOT), at);
            return true;
        }
        return ended;
    }

    private WorkflowStatus status(int completed, boolean byOwner) {
        if (completed == steps.size()) {
            return WorkflowStatus.COMPLETED;
        }
        if (byOwner) {
            return WorkflowStatus.CANCELLED;
        }
        return failMode == FailMode.BEST_EFFORT && completed > 0 ? WorkflowStatus.COMPLETED_WITH_FAILURES
                : WorkflowStatus.FAILED;
    }

    /** Attempts the first queued step, unless the bid of another is still going in. */
    private void attemptNext(Instant at) {
        if (placing != null || queued.isEmpty() || ended) {
            return;
        }
        Step step = steps.get(queued.peekFirst());
        int attempt = step.attempts + 1;
        Map<String, String> outputs = new TreeMap<>();
        for (String key : step.spec.dependsOn()) {
            String output = byKey(key).output;
            outputs.put(key, output == null ? "" : output);
        }
        String input = Templates.render(step.spec.key(), step.spec.input(), outputs, parameters);
        apply(new StepAttempted(workflowId, step.spec.key(), step.index, attempt, workflowId.job(step.index, attempt),
                account, step.spec.cargo(), step.spec.terms(), input, avoid(step), at));
    }

    /** A retry leaves the Islands that failed the step; a first attempt those the workflow's running steps are on. */
    private List<IslandId> avoid(Step step) {
        if (!step.failedOn.isEmpty()) {
            return List.copyOf(step.failedOn);
        }
        SortedSet<IslandId> busy = new TreeSet<>();
        steps.stream().filter(other -> !other.over && other.islandId != null).forEach(other -> busy.add(
                other.islandId));
        return List.copyOf(busy);
    }

    @EventSourcingHandler
    void on(WorkflowSubmitted event) {
        workflowId = event.workflowId();
        account = event.account();
        failMode = event.failMode();
        maxAttempts = event.maxAttempts();
        parameters = new TreeMap<>(event.parameters());
        steps = new ArrayList<>();
        queued = new ArrayDeque<>();
        for (int index = 0; index < event.steps().size(); index++) {
            steps.add(new Step(index, event.steps().get(index)));
        }
        queueReady();
    }

    @EventSourcingHandler
    void on(StepAttempted event) {
        queued.remove(event.index());
        Step step = steps.get(event.index());
        step.status = Status.PLACING;
        step.attempts = event.attempt();
        step.jobId = event.jobId();
        step.islandId = null;
        placing = event.jobId();
    }

    @EventSourcingHandler
    void on(StepBidSubmitted event) {
        placing = null;
        Step step = steps.get(event.index());
        if (event.placedOn() != null) {
            step.islandId = event.placedOn();
        }
    }

    @EventSourcingHandler
    void on(StepPlaced event) {
        Step step = steps.get(event.index());
        step.status = Status.RUNNING;
        step.islandId = event.islandId();
    }

    @EventSourcingHandler
    void on(StepReassigned event) {
        Step step = steps.get(event.index());
        step.failedOn.add(event.islandId());
        step.islandId = null;
    }

    @EventSourcingHandler
    void on(StepCompleted event) {
        Step step = steps.get(event.index());
        step.status = Status.COMPLETED;
        step.over = true;
        step.islandId = event.islandId();
        step.cost = step.cost.plus(event.cost());
        step.output = event.output();
        release(event.jobId());
        queueReady();
    }

    @EventSourcingHandler
    void on(StepRetried event) {
        Step step = steps.get(event.index());
        step.status = Status.QUEUED;
        step.failedOn.addAll(event.avoiding());
        step.islandId = null;
        step.cost = step.cost.plus(event.cost());
        queued.addLast(event.index());
        release(event.jobId());
    }

    @EventSourcingHandler
    void on(StepFailed event) {
        Step step = steps.get(event.index());
        if (event.islandId() != null) {
            step.failedOn.add(event.islandId());
        }
        step.status = Status.FAILED;
        step.over = true;
        step.cost = step.cost.plus(event.cost());
        release(event.jobId());
    }

    @EventSourcingHandler
    void on(StepCancelled event) {
        Step step = steps.get(event.index());
        step.status = Status.CANCELLED;
        step.over = true;
        queued.remove(event.index());
        if (step.jobId != null) {
            release(step.jobId);
        }
    }

    @EventSourcingHandler
    void on(WorkflowEnded event) {
        ended = true;
    }

    /** Queues, in declaration order, each waiting step whose dependencies all completed. */
    private void queueReady() {
        for (Step step : steps) {
            if (step.status == Status.WAITING && step.spec.dependsOn().stream()
                    .allMatch(key -> byKey(key).status == Status.COMPLETED)) {
                step.status = Status.QUEUED;
                queued.addLast(step.index);
            }
        }
    }

    /** An attempt that ended no longer holds up the next one. */
    private void release(JobId jobId) {
        steps.stream().filter(step -> jobId.equals(step.jobId)).findFirst().ifPresent(step -> step.jobId = null);
        if (jobId.equals(placing)) {
            placing = null;
        }
    }

    public boolean isEnded() {
        return ended;
    }

    /** The queued steps' keys in the order they will be attempted. */
    public List<String> queued() {
        return queued.stream().map(index -> steps.get(index).spec.key()).toList();
    }

    public String stateHash() {
        StringBuilder hash = new StringBuilder().append(workflowId).append('|').append(account).append('|')
                .append(failMode).append('|').append(maxAttempts).append('|').append(parameters).append('|')
                .append(queued).append('|').append(placing).append('|').append(ended);
        steps.forEach(step -> hash.append('|').append(step));
        return hash.toString();
    }

    /** Where a step is: waiting for its dependencies, queued, being placed, running, or ended one way. */
    private enum Status {
        WAITING, QUEUED, PLACING, RUNNING, COMPLETED, FAILED, CANCELLED
    }

    /** A step as the workflow remembers it: its current attempt's job (null once it ended), Island and output. */
    private static final class Step {
        final int index;
        final StepSpec spec;
        final SortedSet<IslandId> failedOn = new TreeSet<>();
        Status status = Status.WAITING;
        int attempts;
        @Nullable JobId jobId;
        @Nullable IslandId islandId;
        boolean over;
        MicroCredits cost = MicroCredits.ZERO;
        @Nullable String output;

        Step(int index, StepSpec spec) {
            this.index = index;
            this.spec = spec;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Step step && toString().equals(step.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return index + ":" + spec.key() + ":" + status + ":" + attempts + ":" + jobId + ":" + islandId + ":" + over
                    + ":" + cost.value() + ":" + failedOn + ":" + output;
        }
    }
}
