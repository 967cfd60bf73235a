package io.archipelago.command.market;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.money.PricePerUnit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.time.Clock;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Registers a Cargo type, which opens its market (an operator command until publishing is self-service). */
@RestController
final class CargoController {

    private final Commands commands;
    private final Clock clock;

    CargoController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping("/cargos")
    ResponseEntity<Registered> register(@Valid @RequestBody Register request) {
        CargoType cargo = new CargoType(request.cargo());
        commands.send(new RegisterCargo(cargo, request.unit(), new AccountId(request.publisher()),
                PricePerUnit.of(request.royaltyMicroCredits()), clock.instant()));
        return ResponseEntity.created(URI.create("/markets/" + cargo)).body(new Registered(cargo.value()));
    }

    /** Opens the market of {@code cargo}, priced per {@code unit}, paying {@code publisher} a royalty per unit. */
    @RejectUnknownFields
    record Register(@NotBlank String cargo, @NotNull CargoUnit unit, @NotBlank String publisher,
                    @NotNull @PositiveOrZero Long royaltyMicroCredits) {
    }

    record Registered(String cargo) {
    }
}
