package io.archipelago.projections.job;

import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.RowChange;
import io.archipelago.projections.RowFolds;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code job_view}: a row inserted by the bid, updated by each later event of its market. A row changes only
 * for an event of its market later than the last it applied, so re-delivered events change nothing, and a bid
 * rejected as a duplicate never overwrites the job it duplicates. Each handler says what its event does to the row
 * as a {@link RowChange}, which the live table and a rebuild's rows in memory apply alike.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
@WritesInBatches
final class JobProjection {

    private static final String TABLE = "job_view";

    private final ReadModelWrites writes;
    private final RowFolds rows;

    JobProjection(ReadModelWrites writes) {
        this.writes = writes;
        this.rows = new RowFolds(writes);
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE job_view").update();
    }

    @EventHandler
    void on(BidSubmitted event, @SequenceNumber long sequence) {
        rows.apply(RowChange.insert(TABLE, key(event.cargo(), event.jobId()))
                .value("consumer", event.consumer().value())
                .value("status", "RESTING")
                .value("limit_micro_credits", event.limit().microCredits())
                .value("max_units", event.maxUnits())
                .value("escrow_micro_credits", event.escrow().value())
                .value("jurisdiction", event.jurisdiction().name())
                .value("submitted_at", utc(event.at()))
                .value("expires_at", utc(event.expiresAt()))
                .value("updated_at", utc(event.at()))
                .value("last_sequence", sequence));
    }

    @EventHandler
    void on(BidRejected event, @SequenceNumber long sequence) {
        rows.apply(RowChange.insert(TABLE, key(event.cargo(), event.jobId()))
                .value("consumer", event.consumer().value())
                .value("status", "REJECTED")
                .value("rejection_reason", event.reason().name())
                .value("detail", event.detail())
                .value("submitted_at", utc(event.at()))
                .value("finished_at", utc(event.at()))
                .value("updated_at", utc(event.at()))
                .value("last_sequence", sequence));
    }

    @EventHandler
    void on(JobPlaced event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "PLACED")
                .set("island_id", event.islandId().value())
                .set("host", event.host().value())
                .set("ask_micro_credits", event.price().ask().microCredits())
                .set("royalty_micro_credits", event.price().royalty().microCredits())
                .set("fee_micro_credits", event.price().platformFee().microCredits())
                .set("rtt_micros", event.rttMicros())
                .set("placed_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    /** The Island lost the job before it streamed: it rests again until another Island takes it. */
    @EventHandler
    void on(JobReassigned event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "RESTING")
                .set("island_id", null)
                .set("host", null)
                .set("ask_micro_credits", null)
                .set("royalty_micro_credits", null)
                .set("fee_micro_credits", null)
                .set("rtt_micros", null)
                .set("placed_at", null)
                .set("detail", "taken back from " + event.islandId() + ": " + event.reason())
                .set("updated_at", utc(event.at())));
    }

    @EventHandler
    void on(JobStarted event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "STARTED")
                .set("ttft_micros", event.ttftMicros())
                .set("started_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    @EventHandler
    void on(JobCompleted event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "COMPLETED")
                .set("units", event.units())
                .set("charged_micro_credits", event.charged().value())
                .set("released_micro_credits", event.released().value())
                .set("finished_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    @EventHandler
    void on(JobFailed event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "FAILED")
                .set("detail", event.reason())
                .set("released_micro_credits", event.refunded().value())
                .set("finished_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    /** The consumer left: the job settled the units that reached it. */
    @EventHandler
    void on(JobCancelled event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "CANCELLED")
                .set("units", event.units())
                .set("charged_micro_credits", event.charged().value())
                .set("released_micro_credits", event.released().value())
                .set("detail", event.reason())
                .set("finished_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    /** The consumer left before any Island took the job. */
    @EventHandler
    void on(BidCancelled event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "CANCELLED")
                .set("units", 0L)
                .set("charged_micro_credits", 0L)
                .set("released_micro_credits", event.released().value())
                .set("detail", event.reason())
                .set("finished_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    @EventHandler
    void on(BidExpired event, @SequenceNumber long sequence) {
        rows.apply(update(event.cargo(), event.jobId(), sequence)
                .set("status", "EXPIRED")
                .set("released_micro_credits", event.released().value())
                .set("finished_at", utc(event.at()))
                .set("updated_at", utc(event.at())));
    }

    private static Map<String, Object> key(CargoType cargo, JobId jobId) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("cargo", cargo.value());
        key.put("job_id", jobId.value());
        return key;
    }

    private static RowChange update(CargoType cargo, JobId jobId, long sequence) {
        return RowChange.update(TABLE, key(cargo, jobId), sequence);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
