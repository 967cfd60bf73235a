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
import io.archipelago.projections.RowChange;
import io.archipelago.projections.RowFolds;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private static final String TABLE = "island_view";

    private final ReadModelWrites writes;
    private final RowFolds rows;

    IslandProjection(ReadModelWrites writes) {
        this.writes = writes;
        this.rows = new RowFolds(writes);
    }

    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE island_view, karma_history").update();
    }

    @EventHandler
    void on(IslandRegistered event, @SequenceNumber long sequence) {
        rows.apply(RowChange.insert(TABLE, key(event.islandId()))
                .value("owner", event.owner().value())
                .value("country", event.country().code())
                .value("cargo_types", event.cargoTypes().stream().map(CargoType::value).sorted()
                        .collect(Collectors.joining(",")))
                .value("slots", event.slots())
                .value("verified", event.verified())
                .value("online", false)
                .value("uptime_millis", 0L)
                .value("karma", event.karma().points())
                .value("registered_at", utc(event.at()))
                .value("updated_at", utc(event.at()))
                .value("last_sequence", sequence)
                .value("schedule", IslandSchedule.of(event.schedule()).column()));
    }

    @EventHandler
    void on(IslandVerified event, @SequenceNumber long sequence) {
        rows.apply(change(event.islandId(), event.at(), sequence).set("verified", true));
    }

    /** Opens an online period, unless one is open already. */
    @EventHandler
    void on(IslandWentOnline event, @SequenceNumber long sequence) {
        rows.apply(change(event.islandId(), event.at(), sequence).set("online", true)
                .coalesce("online_since", utc(event.at())));
    }

    /** Closes the online period and adds it to the uptime. */
    @EventHandler
    void on(IslandWentOffline event, @SequenceNumber long sequence) {
        rows.apply(change(event.islandId(), event.at(), sequence).set("online", false).set("online_since", null)
                .addMillisSince("uptime_millis", "online_since", utc(event.at())));
    }

    @EventHandler
    void on(IslandRttMeasured event, @SequenceNumber long sequence) {
        rows.apply(change(event.islandId(), event.at(), sequence).set("rtt_micros", event.rttMicros()));
    }

    @EventHandler
    void on(IslandScheduleChanged event, @SequenceNumber long sequence) {
        rows.apply(change(event.islandId(), event.at(), sequence)
                .set("schedule", IslandSchedule.of(event.schedule()).column()));
    }

    @EventHandler
    void on(KarmaChanged event, @SequenceNumber long sequence) {
        rows.apply(change(event.islandId(), event.at(), sequence).set("karma", event.current().points()));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("island_id", event.islandId().value());
        entry.put("sequence", sequence);
        rows.apply(RowChange.insert("karma_history", entry)
                .value("previous", event.previous().points())
                .value("current", event.current().points())
                .value("reason", event.reason().name())
                .value("job_id", event.jobId())
                .value("at", utc(event.at())));
    }

    private static Map<String, Object> key(IslandId island) {
        return Map.of("island_id", island.value());
    }

    /** The Island's row, changed if it has not applied the event yet; {@code updated_at} set too. */
    private static RowChange change(IslandId island, Instant at, long sequence) {
        return RowChange.update(TABLE, key(island), sequence).set("updated_at", utc(at));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
