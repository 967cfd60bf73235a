package io.archipelago.coordinator.openai;

import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The market's events about the jobs of running batches, handed to {@link Batches}; every other job's are ignored.
 * Its processor ({@link BatchConfiguration}) starts at the head of the store; {@link BatchRecovery} reads what came
 * before it for the batches a restart interrupted.
 */
@Component
@ProcessingGroup(BatchProgress.PROCESSING_GROUP)
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class BatchProgress {

    static final String PROCESSING_GROUP = "batches";
    /** Why an attempt whose bid expired ended. */
    static final String EXPIRED = "no Island took the job before its bid expired";

    private final Batches batches;

    BatchProgress(Batches batches) {
        this.batches = batches;
    }

    @EventHandler
    void on(JobPlaced event) {
        batches.placed(event.jobId().value(), event.islandId().value());
    }

    @EventHandler
    void on(JobCompleted event) {
        batches.completed(event.jobId().value(), event.islandId().value(), event.units(), event.charged().value());
    }

    @EventHandler
    void on(JobFailed event) {
        batches.failed(event.jobId().value(), event.islandId().value(), event.reason());
    }

    @EventHandler
    void on(JobReassigned event) {
        batches.lost(event.jobId().value(), event.islandId().value());
    }

    @EventHandler
    void on(BidExpired event) {
        batches.failed(event.jobId().value(), null, EXPIRED);
    }
}
