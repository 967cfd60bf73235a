package io.archipelago.command.island;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.island.api.ChangeIslandSchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.island.api.VerifyIsland;
import io.archipelago.exchange.ids.CargoType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registers Islands, changes their schedule, and records what the island bridge will later report by itself: online
 * state and round-trip time. Until the bridge exists an operator drives these by hand.
 */
@RestController
@RequestMapping("/islands")
final class IslandController {

    private final Commands commands;
    private final Clock clock;

    IslandController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping
    ResponseEntity<Registered> register(@Valid @RequestBody Register request) {
        IslandId islandId = new IslandId(request.islandId());
        Set<CargoType> cargoTypes = request.cargoTypes().stream().map(CargoType::new).collect(Collectors.toSet());
        AvailabilitySchedule schedule = request.schedule() == null ? AvailabilitySchedule.ALWAYS
                : schedule(request.schedule());
        commands.send(new RegisterIsland(islandId, new AccountId(request.owner()), Country.of(request.country()),
                cargoTypes, request.slots(), schedule, Boolean.TRUE.equals(request.verified()), clock.instant()));
        return ResponseEntity.created(URI.create("/islands/" + islandId)).body(new Registered(islandId.value()));
    }

    @PostMapping("/{islandId}/verify")
    ResponseEntity<Void> verify(@PathVariable String islandId) {
        commands.send(new VerifyIsland(new IslandId(islandId), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{islandId}/online")
    ResponseEntity<Void> online(@PathVariable String islandId) {
        commands.send(new BringIslandOnline(new IslandId(islandId), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{islandId}/offline")
    ResponseEntity<Void> offline(@PathVariable String islandId,
                                 @Valid @RequestBody(required = false) @Nullable Offline request) {
        OfflineReason reason = request == null || request.reason() == null ? OfflineReason.HOST_REQUEST
                : request.reason();
        commands.send(new TakeIslandOffline(new IslandId(islandId), reason, clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{islandId}/rtt")
    ResponseEntity<Void> rtt(@PathVariable String islandId, @Valid @RequestBody Rtt request) {
        commands.send(new RecordIslandRtt(new IslandId(islandId), request.rttMicros(), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    /** Replaces the Island's weekly selling windows: {@code {"windows": [...]}} or {@code {"always": true}}. */
    @PutMapping("/{islandId}/schedule")
    ResponseEntity<Void> schedule(@PathVariable String islandId, @Valid @RequestBody Schedule request) {
        boolean always = Boolean.TRUE.equals(request.always());
        List<Window> windows = request.windows() == null ? List.of() : request.windows();
        if (always == !windows.isEmpty()) {
            throw new IllegalArgumentException(always ? "a schedule is either always or windows, not both"
                    : "a schedule gives its windows, or always: true");
        }
        commands.send(new ChangeIslandSchedule(new IslandId(islandId),
                always ? AvailabilitySchedule.ALWAYS : schedule(windows), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    private static AvailabilitySchedule schedule(List<Window> windows) {
        return new AvailabilitySchedule(windows.stream()
                .map(window -> new AvailabilitySchedule.Window(window.startMinute(), window.endMinute()))
                .toList());
    }

    /**
     * Registers an Island of {@code owner} running in {@code country}, serving {@code cargoTypes} with {@code slots}
     * concurrent jobs; {@code schedule} is its weekly selling windows in UTC (absent: always), {@code verified}
     * whether the host's identity is verified (absent: not).
     */
    @RejectUnknownFields
    record Register(@NotBlank String islandId, @NotBlank String owner, @NotBlank String country,
                    @NotEmpty List<@NotBlank String> cargoTypes, @NotNull Integer slots,
                    @Nullable List<@Valid @NotNull Window> schedule, @Nullable Boolean verified) {
    }

    /** A weekly window {@code [startMinute, endMinute)} in minutes from Monday 00:00 UTC. */
    @RejectUnknownFields
    record Window(@NotNull Integer startMinute, @NotNull Integer endMinute) {
    }

    /**
     * When the Island sells from now on: {@code windows}, weekly in UTC, or {@code always} (then no windows).
     */
    @RejectUnknownFields
    record Schedule(@Nullable List<@Valid @NotNull Window> windows, @Nullable Boolean always) {
    }

    /** Why the Island goes offline (absent: the host asked for it). */
    @RejectUnknownFields
    record Offline(@Nullable OfflineReason reason) {
    }

    /** The Island's moving-average round-trip time in microseconds. */
    @RejectUnknownFields
    record Rtt(@NotNull @PositiveOrZero Long rttMicros) {
    }

    record Registered(String islandId) {
    }
}
