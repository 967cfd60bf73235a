package io.archipelago.coordinator.openai;

import io.archipelago.coordinator.access.Principal;

/**
 * Where the {@code /v1} controllers find the caller's account: the request attribute the access filter
 * ({@code io.archipelago.coordinator.access}) sets for every request authenticated by an account's API key.
 */
final class ApiKeyFilter {

    static final String ACCOUNT = Principal.ACCOUNT_ATTRIBUTE;

    private ApiKeyFilter() {
    }
}
