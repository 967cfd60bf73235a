package io.archipelago.command.account;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.money.MicroCredits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Opens accounts, records operator deposits (card payments come later) and takes payout requests. */
@RestController
@RequestMapping("/accounts")
final class AccountController {

    private final Commands commands;
    private final Clock clock;

    AccountController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping
    ResponseEntity<Opened> open(@Valid @RequestBody Open request) {
        AccountId accountId = new AccountId(request.accountId());
        commands.send(new OpenAccount(accountId, Country.of(request.country()), clock.instant()));
        return ResponseEntity.created(URI.create("/accounts/" + accountId + "/balance"))
                .body(new Opened(accountId.value()));
    }

    @PostMapping("/{accountId}/deposits")
    ResponseEntity<Deposited> deposit(@PathVariable String accountId, @Valid @RequestBody Deposit request) {
        AccountId account = new AccountId(accountId);
        String depositId = request.depositId() == null ? UUID.randomUUID().toString() : request.depositId();
        MicroCredits amount = MicroCredits.of(request.amountMicroCredits());
        commands.send(new DepositCredits(account, depositId, amount, clock.instant()));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new Deposited(account.value(), depositId, amount.value()));
    }

    @PostMapping("/{accountId}/payouts")
    ResponseEntity<PayoutRequested> payout(@PathVariable String accountId, @Valid @RequestBody Payout request) {
        AccountId account = new AccountId(accountId);
        String payoutId = request.payoutId() == null ? UUID.randomUUID().toString() : request.payoutId();
        MicroCredits amount = MicroCredits.of(request.amountMicroCredits());
        commands.send(new RequestPayout(account, payoutId, amount, clock.instant()));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new PayoutRequested(account.value(), payoutId, amount.value()));
    }

    /** Opens {@code accountId} for a holder living in {@code country} (ISO 3166-1 alpha-2). */
    @RejectUnknownFields
    record Open(@NotBlank String accountId, @NotBlank String country) {
    }

    /** Credits {@code amountMicroCredits}; a repeated {@code depositId} is recorded once. */
    @RejectUnknownFields
    record Deposit(@Nullable @Size(min = 1, max = 128) String depositId,
                   @NotNull @Positive Long amountMicroCredits) {
    }

    /** Moves {@code amountMicroCredits} of earnings to payouts in flight; a repeated {@code payoutId} counts once. */
    @RejectUnknownFields
    record Payout(@Nullable @Size(min = 1, max = 128) String payoutId,
                  @NotNull @Positive Long amountMicroCredits) {
    }

    record Opened(String accountId) {
    }

    /** A deposit as recorded, with its id (generated when the caller gave none). */
    record Deposited(String accountId, String depositId, long amountMicroCredits) {
    }

    /** A payout request as recorded, with its id (generated when the caller gave none). */
    record PayoutRequested(String accountId, String payoutId, long amountMicroCredits) {
    }
}
