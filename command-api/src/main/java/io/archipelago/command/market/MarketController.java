package io.archipelago.command.market;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RepriceAsk;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.WithdrawAsk;
import io.archipelago.exchange.money.PricePerUnit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Asks, the ends of jobs and the operator's market chores. Job starts and ends come from the island bridge once it
 * exists; until then they are reported here.
 */
@RestController
@RequestMapping("/markets/{cargo}")
final class MarketController {

    private final Commands commands;
    private final Clock clock;

    MarketController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping("/asks")
    ResponseEntity<AskPlaced> placeAsk(@PathVariable String cargo, @Valid @RequestBody Ask request) {
        CargoType market = new CargoType(cargo);
        IslandId islandId = new IslandId(request.islandId());
        commands.send(new PlaceAsk(market, islandId, PricePerUnit.of(request.priceMicroCredits()), clock.instant()));
        return ResponseEntity.created(URI.create("/markets/" + market))
                .body(new AskPlaced(market.value(), islandId.value(), request.priceMicroCredits()));
    }

    @PutMapping("/asks/{islandId}")
    ResponseEntity<Void> repriceAsk(@PathVariable String cargo, @PathVariable String islandId,
                                    @Valid @RequestBody Price request) {
        commands.send(new RepriceAsk(new CargoType(cargo), new IslandId(islandId),
                PricePerUnit.of(request.priceMicroCredits()), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/asks/{islandId}")
    ResponseEntity<Void> withdrawAsk(@PathVariable String cargo, @PathVariable String islandId) {
        commands.send(new WithdrawAsk(new CargoType(cargo), new IslandId(islandId), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/jobs/{jobId}/start")
    ResponseEntity<Void> start(@PathVariable String cargo, @PathVariable String jobId,
                               @Valid @RequestBody(required = false) @Nullable Start request) {
        long ttftMicros = request == null || request.ttftMicros() == null ? 0 : request.ttftMicros();
        commands.send(new StartJob(new CargoType(cargo), new JobId(jobId), ttftMicros, clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/jobs/{jobId}/complete")
    ResponseEntity<Void> complete(@PathVariable String cargo, @PathVariable String jobId,
                                  @Valid @RequestBody Complete request) {
        commands.send(new CompleteJob(new CargoType(cargo), new JobId(jobId), request.units(), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/jobs/{jobId}/fail")
    ResponseEntity<Void> fail(@PathVariable String cargo, @PathVariable String jobId,
                              @Valid @RequestBody Fail request) {
        commands.send(new FailJob(new CargoType(cargo), new JobId(jobId), request.reason(), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/expire")
    ResponseEntity<Void> expire(@PathVariable String cargo) {
        commands.send(new ExpireBids(new CargoType(cargo), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/clear")
    ResponseEntity<Void> clear(@PathVariable String cargo) {
        commands.send(new ClearMarketRate(new CargoType(cargo), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    /** {@code islandId} offers its capacity at {@code priceMicroCredits} per unit. */
    @RejectUnknownFields
    record Ask(@NotBlank String islandId, @NotNull @PositiveOrZero Long priceMicroCredits) {
    }

    /** A new asking price per unit. */
    @RejectUnknownFields
    record Price(@NotNull @PositiveOrZero Long priceMicroCredits) {
    }

    /** The job's first token arrived {@code ttftMicros} after placement (absent: at once). */
    @RejectUnknownFields
    record Start(@Nullable @PositiveOrZero Long ttftMicros) {
    }

    /** The job finished having used {@code units} units (more than its maximum are not charged). */
    @RejectUnknownFields
    record Complete(@NotNull @PositiveOrZero Long units) {
    }

    /** The job failed for {@code reason}; its escrow goes back to the consumer. */
    @RejectUnknownFields
    record Fail(@NotBlank String reason) {
    }

    record AskPlaced(String cargo, String islandId, long priceMicroCredits) {
    }
}
