package io.archipelago.exchange.island;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.island.api.ChangeIslandSchedule;
import io.archipelago.exchange.island.api.FailIslandVerification;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.island.api.IslandListing;
import io.archipelago.exchange.island.api.IslandMemoryReported;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandScheduleChanged;
import io.archipelago.exchange.island.api.IslandVerificationFailed;
import io.archipelago.exchange.island.api.IslandVerified;
import io.archipelago.exchange.island.api.IslandWentOffline;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.island.api.JobOutcome;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.island.api.ReportIslandMemory;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.island.api.VerifyIsland;
import io.archipelago.exchange.karma.KarmaPolicy;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.karma.api.KarmaReason;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.Markets;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A host's machine selling compute: the source of truth for its jurisdiction, slots, schedule, online state, RTT and
 * karma. Every change that matters to placement reaches the markets it serves through {@link Markets} in the same
 * unit of work.
 */
public class Island {

    @AggregateIdentifier
    private IslandId islandId;
    private AccountId owner;
    private Country country;
    private Set<CargoType> cargoTypes;
    private int slots;
    private AvailabilitySchedule schedule;
    private boolean verified;
    private boolean online;
    private long rttMicros;
    /** The memory in MiB the Island last reported; -1 before its first report. */
    private long memoryMib = -1;
    private Karma karma;
    private Instant karmaSince;

    protected Island() {
        // for Axon
    }

    @CommandHandler
    public Island(RegisterIsland command) {
        if (command.cargoTypes() == null || command.cargoTypes().isEmpty()) {
            throw new IllegalArgumentException("an island serves at least one cargo type");
        }
        if (command.slots() < 1 || command.slots() > 10_000) {
            throw new IllegalArgumentException("an island has 1 to 10000 concurrent slots, got " + command.slots());
        }
        apply(new IslandRegistered(command.islandId(), command.owner(), command.country(),
                new TreeSet<>(command.cargoTypes()), command.slots(),
                command.schedule() == null ? AvailabilitySchedule.ALWAYS : command.schedule(), command.verified(),
                Karma.INITIAL, command.at()));
    }

    @CommandHandler
    void handle(VerifyIsland command, Markets markets) {
        if (!verified) {
            apply(new IslandVerified(islandId, command.at()));
            tellMarkets(markets, command.at());
        }
    }

    @CommandHandler
    void handle(FailIslandVerification command) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a failed verification says why");
        }
        // A failure that arrives after a success is a stale attempt: it never takes a verification back.
        if (!verified) {
            apply(new IslandVerificationFailed(islandId, command.reason(), command.at()));
        }
    }

    @CommandHandler
    void handle(BringIslandOnline command, Markets markets) {
        if (!online) {
            apply(new IslandWentOnline(islandId, command.at()));
            tellMarkets(markets, command.at());
        }
    }

    @CommandHandler
    void handle(TakeIslandOffline command, Markets markets) {
        if (!online) {
            return;
        }
        apply(new IslandWentOffline(islandId, command.reason(), command.at()));
        if (command.reason() == OfflineReason.HEARTBEATS_MISSED) {
            changeKarma(KarmaPolicy.afterGoingOffline(decay(command.at())), KarmaReason.WENT_OFFLINE, null,
                    command.at());
        }
        tellMarkets(markets, command.at());
    }

    @CommandHandler
    void handle(RecordIslandRtt command, Markets markets) {
        if (command.rttMicros() < 0) {
            throw new IllegalArgumentException("a round-trip time is never negative, got " + command.rttMicros());
        }
        if (command.rttMicros() != rttMicros) {
            apply(new IslandRttMeasured(islandId, command.rttMicros(), command.at()));
            tellMarkets(markets, command.at());
        }
    }

    @CommandHandler
    void handle(ReportIslandMemory command) {
        if (command.memoryMib() < 0 || command.memoryMib() > PipelineStage.MAX_MEMORY_MIB) {
            throw new IllegalArgumentException("an Island reports 0-" + PipelineStage.MAX_MEMORY_MIB
                    + " MiB of memory, got " + command.memoryMib());
        }
        if (command.memoryMib() != memoryMib) {
            apply(new IslandMemoryReported(islandId, command.memoryMib(), command.at()));
        }
    }

    @CommandHandler
    void handle(ChangeIslandSchedule command, Markets markets) {
        AvailabilitySchedule next = command.schedule() == null ? AvailabilitySchedule.ALWAYS : command.schedule();
        if (!next.equals(schedule)) {
            apply(new IslandScheduleChanged(islandId, next, command.at()));
            tellMarkets(markets, command.at());
        }
    }

    /** Called through {@code Islands}: a job ended on this Island. */
    public void recordJobOutcome(JobId jobId, JobOutcome outcome, Instant at, Markets markets) {
        Karma base = decay(at);
        Karma next = outcome.succeeded()
                ? KarmaPolicy.afterSuccess(base, outcome.rttMicros(), outcome.ttftMicros())
                : KarmaPolicy.afterFailure(base);
        changeKarma(next, outcome.succeeded() ? KarmaReason.JOB_COMPLETED : KarmaReason.JOB_FAILED, jobId.value(), at);
        tellMarkets(markets, at);
    }

    /** The account the Island's earnings go to, and whose keys may act for it. */
    public AccountId owner() {
        return owner;
    }

    public IslandListing listing(CargoType cargo) {
        if (!cargoTypes.contains(cargo)) {
            throw new IllegalArgumentException("island " + islandId + " does not serve " + cargo);
        }
        return new IslandListing(owner, conditions());
    }

    private Karma decay(Instant at) {
        Karma decayed = KarmaPolicy.decayed(karma, karmaSince, at);
        if (!decayed.equals(karma)) {
            changeKarma(decayed, KarmaReason.DECAY, null, at);
        }
        return decayed;
    }

    private void changeKarma(Karma next, KarmaReason reason, String jobId, Instant at) {
        apply(new KarmaChanged(islandId, karma, next, reason, jobId, at));
    }

    private IslandConditions conditions() {
        return new IslandConditions(country, slots, schedule, verified, online, rttMicros, karma);
    }

    private void tellMarkets(Markets markets, Instant at) {
        IslandConditions conditions = conditions();
        for (CargoType cargo : cargoTypes) {
            markets.updateConditions(cargo, islandId, conditions, at);
        }
    }

    @EventSourcingHandler
    void on(IslandRegistered event) {
        islandId = event.islandId();
        owner = event.owner();
        country = event.country();
        cargoTypes = Set.copyOf(event.cargoTypes());
        slots = event.slots();
        schedule = event.schedule();
        verified = event.verified();
        online = false;
        rttMicros = IslandConditions.RTT_UNKNOWN;
        karma = event.karma();
        karmaSince = event.at();
    }

    @EventSourcingHandler
    void on(IslandVerified event) {
        verified = true;
    }

    @EventSourcingHandler
    void on(IslandWentOnline event) {
        online = true;
    }

    @EventSourcingHandler
    void on(IslandWentOffline event) {
        online = false;
    }

    @EventSourcingHandler
    void on(IslandRttMeasured event) {
        rttMicros = event.rttMicros();
    }

    @EventSourcingHandler
    void on(IslandMemoryReported event) {
        memoryMib = event.memoryMib();
    }

    @EventSourcingHandler
    void on(IslandScheduleChanged event) {
        schedule = event.schedule();
    }

    @EventSourcingHandler
    void on(KarmaChanged event) {
        karma = event.current();
        karmaSince = event.at();
    }

    public String stateHash() {
        return islandId + "|" + owner + "|" + country + "|" + new TreeSet<>(cargoTypes) + "|" + slots + "|"
                + schedule + "|" + verified + "|" + online + "|" + rttMicros + "|" + karma.points() + "|" + karmaSince;
    }
}
