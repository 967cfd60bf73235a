package io.archipelago.projections.island;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandScheduleChanged;
import io.archipelago.exchange.island.api.IslandVerified;
import io.archipelago.exchange.island.api.IslandWentOffline;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code island_view} and {@code karma_history} from the Islands' own events. A row changes only for an event
 * of its Island later than the last it applied, and a karma change is keyed by its sequence number, so re-delivered
 * events change nothing.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
@WritesInBatches
final class IslandProjection {

    private final ReadModelWrites writes;

    IslandProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE island_view, karma_history").update();
    }

    @EventHandler
    void on(IslandRegistered event, @SequenceNumber long sequence) {
        writes.row("island_view", event.islandId().value()).sql("""
                INSERT INTO island_view (island_id, owner, country, cargo_types, slots, verified, online,
                                         uptime_millis, karma, registered_at, updated_at, last_sequence, schedule)
                VALUES (:island, :owner, :country, :cargoTypes, :slots, :verified, false, 0, :karma, :at, :at,
                        :sequence, :schedule)
                ON CONFLICT (island_id) DO NOTHING""")
                .param("island", event.islandId().value())
                .param("owner", event.owner().value())
                .param("country", event.country().code())
                .param("cargoTypes", event.cargoTypes().stream().map(CargoType::value).sorted()
                        .collect(Collectors.joining(",")))
                .param("slots", event.slots())
                .param("verified", event.verified())
                .param("karma", event.karma().points())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .param("schedule", IslandSchedule.of(event.schedule()).column())
                .update();
    }

    @EventHandler
    void on(IslandVerified event, @SequenceNumber long sequence) {
        change(event.islandId(), "verified = true", event.at(), sequence);
    }

    /** Opens an online period, unless one is open already. */
    @EventHandler
    void on(IslandWentOnline event, @SequenceNumber long sequence) {
        change(event.islandId(), "online = true, online_since = COALESCE(online_since, :at)", event.at(), sequence);
    }

    /** Closes the online period and adds it to the uptime. */
    @EventHandler
    void on(IslandWentOffline event, @SequenceNumber long sequence) {
        change(event.islandId(), "online = false, online_since = NULL, uptime_millis = uptime_millis"
                + " + COALESCE(CAST(EXTRACT(EPOCH FROM (:at - online_since)) * 1000 AS BIGINT), 0)", event.at(),
                sequence);
    }

    @EventHandler
    void on(IslandRttMeasured event, @SequenceNumber long sequence) {
        writes.row("island_view", event.islandId().value())
                .sql("UPDATE island_view SET rtt_micros = :rtt, updated_at = :at, last_sequence = :sequence"
                        + " WHERE island_id = :island AND last_sequence < :sequence")
                .param("rtt", event.rttMicros())
                .param("island", event.islandId().value())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(IslandScheduleChanged event, @SequenceNumber long sequence) {
        writes.row("island_view", event.islandId().value())
                .sql("UPDATE island_view SET schedule = :schedule, updated_at = :at, last_sequence = :sequence"
                        + " WHERE island_id = :island AND last_sequence < :sequence")
                .param("schedule", IslandSchedule.of(event.schedule()).column())
                .param("island", event.islandId().value())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(KarmaChanged event, @SequenceNumber long sequence) {
        writes.row("island_view", event.islandId().value())
                .sql("UPDATE island_view SET karma = :karma, updated_at = :at, last_sequence = :sequence"
                        + " WHERE island_id = :island AND last_sequence < :sequence")
                .param("karma", event.current().points())
                .param("island", event.islandId().value())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
        writes.row("karma_history", List.of(event.islandId().value(), sequence)).sql("""
                INSERT INTO karma_history (island_id, sequence, previous, current, reason, job_id, at)
                VALUES (:island, :sequence, :previous, :current, :reason, :job, :at)
                ON CONFLICT (island_id, sequence) DO NOTHING""")
                .param("island", event.islandId().value())
                .param("sequence", sequence)
                .param("previous", event.previous().points())
                .param("current", event.current().points())
                .param("reason", event.reason().name())
                .param("job", event.jobId())
                .param("at", utc(event.at()))
                .update();
    }

    private void change(IslandId island, String assignments, Instant at, long sequence) {
        writes.row("island_view", island.value())
                .sql("UPDATE island_view SET " + assignments + ", updated_at = :at, last_sequence = :sequence"
                        + " WHERE island_id = :island AND last_sequence < :sequence")
                .param("island", island.value())
                .param("at", utc(at))
                .param("sequence", sequence)
                .update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
