package io.archipelago.coordinator.openai;

import io.archipelago.exchange.account.api.AccountId;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issues API keys: {@code POST /accounts/{accountId}/keys} answers the new key once. Like the exchange's other
 * account endpoints it is not authenticated yet.
 */
@RestController
final class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @PostMapping("/accounts/{accountId}/keys")
    ResponseEntity<ApiKeys.IssuedKey> issue(@PathVariable String accountId) {
        ApiKeys.IssuedKey issued = keys.issue(new AccountId(accountId));
        return ResponseEntity.created(URI.create("/accounts/" + accountId + "/keys/" + issued.prefix())).body(issued);
    }
}
