package io.archipelago.projections.island;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandScheduleChanged;
import io.archipelago.exchange.island.api.IslandVerified;
import io.archipelago.exchange.island.api.IslandWentOffline;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.karma.api.KarmaReason;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class IslandProjectionTest {

    private static final IslandId ISLAND = new IslandId("island-a");
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final IslandProjection projection = new IslandProjection(ReadModelDatabase.writes());
    private final IslandViews islands = new IslandViews(jdbc);

    /** The events of one Island in order; the index is the sequence number. */
    private final List<Consumer<Long>> history = List.of(
            s -> projection.on(new IslandRegistered(ISLAND, new AccountId("bob"), Country.of("CH"),
                    Set.of(new CargoType("llm.chat"), new CargoType("image.sdxl")), 4, AvailabilitySchedule.ALWAYS,
                    false, Karma.INITIAL, T0), s),
            s -> projection.on(new IslandWentOnline(ISLAND, T0.plusSeconds(10)), s),
            s -> projection.on(new IslandRttMeasured(ISLAND, 12_000, T0.plusSeconds(11)), s),
            s -> projection.on(new KarmaChanged(ISLAND, Karma.INITIAL, Karma.of(510), KarmaReason.JOB_COMPLETED,
                    "job-1", T0.plusSeconds(20)), s),
            s -> projection.on(new IslandWentOffline(ISLAND, OfflineReason.HOST_REQUEST, T0.plusSeconds(70)), s),
            s -> projection.on(new KarmaChanged(ISLAND, Karma.of(510), Karma.of(490), KarmaReason.WENT_OFFLINE,
                    null, T0.plusSeconds(70)), s),
            s -> projection.on(new IslandVerified(ISLAND, T0.plusSeconds(80)), s),
            s -> projection.on(new IslandWentOnline(ISLAND, T0.plusSeconds(100)), s),
            s -> projection.on(new IslandScheduleChanged(ISLAND, new AvailabilitySchedule(List.of(
                    new AvailabilitySchedule.Window(540, 1_020), new AvailabilitySchedule.Window(1_980, 2_460))),
                    T0.plusSeconds(110)), s));

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void anIslandShowsItsJurisdictionKarmaRoundTripAndUptime() {
        deliver(0, history.size());

        IslandView island = islands.find(ISLAND.value()).orElseThrow();
        assertThat(island.country()).isEqualTo("CH");
        assertThat(island.cargoTypes()).containsExactly("image.sdxl", "llm.chat");
        assertThat(island.karma()).isEqualTo(490);
        assertThat(island.rttMicros()).isEqualTo(12_000);
        assertThat(island.verified()).isTrue();
        assertThat(island.online()).isTrue();
        assertThat(island.onlineSince()).isEqualTo(T0.plusSeconds(100));
        assertThat(island.uptimeMillis()).as("online from 10 s to 70 s").isEqualTo(60_000);
        assertThat(island.schedule()).isEqualTo(new IslandSchedule(false, List.of(
                new IslandSchedule.Window(540, 1_020), new IslandSchedule.Window(1_980, 2_460))));
        assertThat(islands.ownedBy("bob")).extracting(IslandView::islandId).containsExactly(ISLAND.value());
        assertThat(islands.ownedBy("alice")).isEmpty();
    }

    @Test
    void karmaHistoryKeepsEveryChangeWithItsReasonInTheTimeRangeAskedFor() {
        deliver(0, history.size());

        assertThat(islands.karmaHistory(ISLAND.value(), Instant.EPOCH, FAR, 0, 10))
                .extracting(KarmaChange::current, KarmaChange::reason, KarmaChange::jobId)
                .containsExactly(tuple(510, "JOB_COMPLETED", "job-1"),
                        tuple(490, "WENT_OFFLINE", null));
        assertThat(islands.karmaHistory(ISLAND.value(), T0.plusSeconds(30), FAR, 0, 10)).hasSize(1);
        assertThat(islands.byKarma("CH", 0, 10)).extracting(IslandView::islandId).containsExactly(ISLAND.value());
        assertThat(islands.byKarma("DE", 0, 10)).isEmpty();
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        deliver(0, history.size());
        IslandView once = islands.find(ISLAND.value()).orElseThrow();

        deliver(0, history.size());
        deliver(3, 6);

        assertThat(islands.find(ISLAND.value()).orElseThrow()).isEqualTo(once);
        assertThat(islands.karmaHistory(ISLAND.value(), Instant.EPOCH, FAR, 0, 10)).hasSize(2);
    }

    @Test
    void anIslandRegisteredWithoutAScheduleShowsAlwaysUntilItsScheduleChanges() {
        deliver(0, 1);
        assertThat(islands.find(ISLAND.value()).orElseThrow().schedule()).isEqualTo(IslandSchedule.ALWAYS);

        deliver(1, history.size());
        projection.on(new IslandScheduleChanged(ISLAND, AvailabilitySchedule.ALWAYS, T0.plusSeconds(120)),
                history.size());
        assertThat(islands.find(ISLAND.value()).orElseThrow().schedule()).isEqualTo(IslandSchedule.ALWAYS);
    }

    private void deliver(int from, int to) {
        for (int sequence = from; sequence < to; sequence++) {
            history.get(sequence).accept((long) sequence);
        }
    }
}
