package io.archipelago.coordinator.openai;

import io.archipelago.access.AbandonedJobs;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.CancelJob;
import io.archipelago.exchange.market.api.FailPipeline;
import io.archipelago.projections.ReadYourWrites;
import io.archipelago.projections.job.JobStatus;
import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Ends the job a door request left when its node died, for the retry that took the request's key over: the job is
 * cancelled at no units (its client was lost with the node, so nothing it was sent counts), which the market does
 * whether the bid rests or the job runs; a job the market no longer holds has ended, and the job read model says
 * whether it was charged. Commands on one market are applied one after another, so once the cancel is answered no
 * completion can follow it.
 *
 * <p>A pipeline job is failed instead, with no stage to blame (its whole escrow back). Should the market no longer
 * run it, whether it was charged is not known here (no read model keeps pipeline jobs), so the key is refused as
 * abandoned rather than run again at the risk of a second charge.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class DeadRequestJobs implements AbandonedJobs {

    private static final Logger LOG = LoggerFactory.getLogger(DeadRequestJobs.class);
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Set<JobStatus> UNCHARGED = Set.of(JobStatus.FAILED, JobStatus.EXPIRED, JobStatus.REJECTED);

    private final CommandGateway commands;
    private final JobViews jobs;
    private final ReadYourWrites fresh;
    private final Clock clock;
    private final IslandBridge bridge;

    DeadRequestJobs(CommandGateway commands, JobViews jobs, ReadYourWrites fresh, Clock clock, IslandBridge bridge) {
        this.bridge = bridge;
        this.commands = commands;
        this.jobs = jobs;
        this.fresh = fresh;
        this.clock = clock;
    }

    @Override
    public Outcome end(CargoType cargo, JobId jobId) {
        if (bridge.pipelineOf(cargo.value()).isPresent()) {
            return endPipeline(cargo, jobId);
        }
        try {
            commands.send(new CancelJob(cargo, jobId, 0, "the node holding its client stopped; a retry with its "
                    + "Idempotency-Key runs the request again", clock.instant())).get(BOUND.toMillis(),
                    TimeUnit.MILLISECONDS);
            return Outcome.UNCHARGED;
        } catch (ExecutionException notHeld) {
            LOG.debug("job {} of a dead request was not cancelled: {}", jobId, notHeld.getCause().toString());
        } catch (TimeoutException slow) {
            return Outcome.UNKNOWN;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return Outcome.UNKNOWN;
        }
        // neither resting nor running: it ended before, or its bid never went in
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            ReadYourWrites.Fresh<JobView> read = fresh.readChecked(() -> jobs.find(jobId.value()));
            Optional<JobView> view = read.found();
            if (view.isEmpty() && read.caughtUp()) {
                // the read side has passed the store's head and knows no such job: its bid never went in
                return Outcome.UNCHARGED;
            }
            if (view.isEmpty()) {
                // the read side lags (a restart replaying the dead node's last events): absent is no answer yet
                if (System.nanoTime() - deadline > 0) {
                    return Outcome.UNKNOWN;
                }
                continue;
            }
            JobStatus status = view.get().status();
            if (UNCHARGED.contains(status)) {
                return Outcome.UNCHARGED;
            }
            if (status == JobStatus.COMPLETED || status == JobStatus.CANCELLED) {
                Long charged = view.get().chargedMicroCredits();
                return charged == null || charged == 0 ? Outcome.UNCHARGED : Outcome.CHARGED;
            }
            // the read model has not seen its end yet
            if (System.nanoTime() - deadline > 0) {
                return Outcome.UNKNOWN;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return Outcome.UNKNOWN;
            }
        }
    }

    private Outcome endPipeline(CargoType cargo, JobId jobId) {
        try {
            commands.send(new FailPipeline(cargo, jobId, null, "the node holding its client stopped; a retry with its "
                    + "Idempotency-Key runs the request again", clock.instant())).get(BOUND.toMillis(),
                    TimeUnit.MILLISECONDS);
            return Outcome.UNCHARGED;
        } catch (ExecutionException notRunning) {
            LOG.debug("pipeline job {} of a dead request was not failed: {}", jobId, notRunning.getCause().toString());
            return Outcome.UNKNOWN;
        } catch (TimeoutException slow) {
            return Outcome.UNKNOWN;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return Outcome.UNKNOWN;
        }
    }
}
