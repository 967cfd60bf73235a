package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's keys, for the operator or the account's own key (the {@link Guard} sees to that):
 * {@code POST /accounts/{accountId}/keys} answers a new key once; {@code GET} lists them by prefix with when they
 * were created, last used and revoked; {@code DELETE .../keys/{prefix}} revokes one, refused from then on.
 */
@RestController
final class ApiKeyController {

    private final ApiKeys keys;
    private final Ownership ownership;

    ApiKeyController(ApiKeys keys, Ownership ownership) {
        this.keys = keys;
        this.ownership = ownership;
    }

    @PostMapping("/accounts/{accountId}/keys")
    ResponseEntity<?> issue(@PathVariable String accountId) {
        AccountId account = account(accountId);
        if (account == null || !ownership.accountOpen(account)) {
            return notFound("account " + accountId + " is not open");
        }
        ApiKeys.IssuedKey issued;
        try {
            issued = keys.issue(account);
        } catch (ApiKeys.TooManyKeys full) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, full.getMessage());
            problem.setProperty("code", "too_many_keys");
            return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        return ResponseEntity.created(URI.create("/accounts/" + accountId + "/keys/" + issued.prefix())).body(issued);
    }

    @GetMapping("/accounts/{accountId}/keys")
    ResponseEntity<List<ApiKeys.KeyView>> list(@PathVariable String accountId) {
        AccountId account = account(accountId);
        return ResponseEntity.ok(account == null ? List.of() : keys.list(account));
    }

    @DeleteMapping("/accounts/{accountId}/keys/{prefix}")
    ResponseEntity<?> revoke(@PathVariable String accountId, @PathVariable String prefix) {
        AccountId account = account(accountId);
        return account != null && keys.revoke(account, prefix) ? ResponseEntity.noContent().build()
                : notFound("account " + accountId + " has no key " + prefix);
    }

    /** The account named in the path; null when the name cannot be an account's, which then has no keys. */
    private static @Nullable AccountId account(String accountId) {
        try {
            return new AccountId(accountId);
        } catch (IllegalArgumentException notAnAccountId) {
            return null;
        }
    }

    private static ResponseEntity<?> notFound(String detail) {
        return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail)).build();
    }
}
