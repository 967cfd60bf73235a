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
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code job_view}: a row inserted by the bid, updated by each later event of its market. A row changes only
 * for an event of its market later than the last it applied, so re-delivered events change nothing, and a bid
 * rejected as a duplicate never overwrites the job it duplicates.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
@WritesInBatches
final class JobProjection {

    private final ReadModelWrites writes;

    JobProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE job_view").update();
    }

    @EventHandler
    void on(BidSubmitted event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                INSERT INTO job_view (cargo, job_id, consumer, status, limit_micro_credits, max_units,
                                      escrow_micro_credits, jurisdiction, submitted_at, expires_at, updated_at,
                                      last_sequence)
                VALUES (:cargo, :job, :consumer, 'RESTING', :limit, :maxUnits, :escrow, :jurisdiction, :at,
                        :expiresAt, :at, :sequence)
                ON CONFLICT (cargo, job_id) DO NOTHING""")
                .param("cargo", event.cargo().value())
                .param("job", event.jobId().value())
                .param("consumer", event.consumer().value())
                .param("limit", event.limit().microCredits())
                .param("maxUnits", event.maxUnits())
                .param("escrow", event.escrow().value())
                .param("jurisdiction", event.jurisdiction().name())
                .param("at", utc(event.at()))
                .param("expiresAt", utc(event.expiresAt()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(BidRejected event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                INSERT INTO job_view (cargo, job_id, consumer, status, rejection_reason, detail, submitted_at,
                                      finished_at, updated_at, last_sequence)
                VALUES (:cargo, :job, :consumer, 'REJECTED', :reason, :detail, :at, :at, :at, :sequence)
                ON CONFLICT (cargo, job_id) DO NOTHING""")
                .param("cargo", event.cargo().value())
                .param("job", event.jobId().value())
                .param("consumer", event.consumer().value())
                .param("reason", event.reason().name())
                .param("detail", event.detail())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(JobPlaced event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'PLACED', island_id = :island, host = :host, ask_micro_credits = :ask,
                       royalty_micro_credits = :royalty, fee_micro_credits = :fee, rtt_micros = :rtt,
                       placed_at = :at, updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("island", event.islandId().value())
                .param("host", event.host().value())
                .param("ask", event.price().ask().microCredits())
                .param("royalty", event.price().royalty().microCredits())
                .param("fee", event.price().platformFee().microCredits())
                .param("rtt", event.rttMicros())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    /** The Island lost the job before it streamed: it rests again until another Island takes it. */
    @EventHandler
    void on(JobReassigned event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'RESTING', island_id = NULL, host = NULL, ask_micro_credits = NULL,
                       royalty_micro_credits = NULL, fee_micro_credits = NULL, rtt_micros = NULL, placed_at = NULL,
                       detail = :detail, updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("detail", "taken back from " + event.islandId() + ": " + event.reason())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    @EventHandler
    void on(JobStarted event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'STARTED', ttft_micros = :ttft, started_at = :at, updated_at = :at,
                       last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("ttft", event.ttftMicros())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    @EventHandler
    void on(JobCompleted event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'COMPLETED', units = :units, charged_micro_credits = :charged,
                       released_micro_credits = :released, finished_at = :at, updated_at = :at,
                       last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("units", event.units())
                .param("charged", event.charged().value())
                .param("released", event.released().value())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    @EventHandler
    void on(JobFailed event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'FAILED', detail = :reason, released_micro_credits = :refunded,
                       finished_at = :at, updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("reason", event.reason())
                .param("refunded", event.refunded().value())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    /** The consumer left: the job settled the units that reached it. */
    @EventHandler
    void on(JobCancelled event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'CANCELLED', units = :units, charged_micro_credits = :charged,
                       released_micro_credits = :released, detail = :reason, finished_at = :at, updated_at = :at,
                       last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("units", event.units())
                .param("charged", event.charged().value())
                .param("released", event.released().value())
                .param("reason", event.reason())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    /** The consumer left before any Island took the job. */
    @EventHandler
    void on(BidCancelled event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'CANCELLED', units = 0, charged_micro_credits = 0,
                       released_micro_credits = :released, detail = :reason, finished_at = :at, updated_at = :at,
                       last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("released", event.released().value())
                .param("reason", event.reason())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    @EventHandler
    void on(BidExpired event, @SequenceNumber long sequence) {
        writes.row("job_view", List.of(event.cargo().value(), event.jobId().value())).sql("""
                UPDATE job_view SET status = 'EXPIRED', released_micro_credits = :released, finished_at = :at,
                       updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND job_id = :job AND last_sequence < :sequence""")
                .param("released", event.released().value())
                .param("at", utc(event.at()))
                .params(key(event.cargo(), event.jobId(), sequence))
                .update();
    }

    private static Map<String, Object> key(CargoType cargo, JobId jobId, long sequence) {
        return Map.of("cargo", cargo.value(), "job", jobId.value(), "sequence", sequence);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
