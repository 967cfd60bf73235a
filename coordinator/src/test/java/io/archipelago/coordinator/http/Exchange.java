package io.archipelago.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.archipelago.access.TestCredentials;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The exchange as an HTTP client sees it: raw JSON in, status and JSON out, and waits for the read side, which
 * follows the write side a moment later.
 */
final class Exchange {

    static final Duration READ_SIDE = Duration.ofSeconds(30);

    private final TestRestTemplate http;

    Exchange(TestRestTemplate http) {
        this.http = http;
    }

    Reply post(String path, @Nullable String json) {
        return exchange(HttpMethod.POST, path, json);
    }

    Reply put(String path, String json) {
        return exchange(HttpMethod.PUT, path, json);
    }

    Reply get(String path) {
        return exchange(HttpMethod.GET, path, null);
    }

    /** Posts and expects the given status, so a setup step that fails says why at once. */
    Reply post(String path, @Nullable String json, int status) {
        Reply reply = post(path, json);
        assertThat(reply.status()).as("POST %s %s -> %s", path, json, reply.body()).isEqualTo(status);
        return reply;
    }

    void openAccount(String accountId, String country, long deposit) {
        post("/accounts", "{\"accountId\":\"" + accountId + "\",\"country\":\"" + country + "\"}", 201);
        if (deposit > 0) {
            post("/accounts/" + accountId + "/deposits", "{\"amountMicroCredits\":" + deposit + "}", 201);
        }
    }

    void registerCargo(String cargo, String publisher, long royalty) {
        post("/cargos", "{\"cargo\":\"" + cargo + "\",\"unit\":\"THOUSAND_TOKENS\",\"publisher\":\"" + publisher
                + "\",\"royaltyMicroCredits\":" + royalty + "}", 201);
    }

    /** Registers an Island serving {@code cargo}, brings it online and records its round-trip time. */
    void onlineIsland(String islandId, String owner, String country, String cargo, long rttMicros) {
        post("/islands", "{\"islandId\":\"" + islandId + "\",\"owner\":\"" + owner + "\",\"country\":\"" + country
                + "\",\"cargoTypes\":[\"" + cargo + "\"],\"slots\":2}", 201);
        post("/islands/" + islandId + "/online", null, 204);
        post("/islands/" + islandId + "/rtt", "{\"rttMicros\":" + rttMicros + "}", 204);
    }

    void ask(String cargo, String islandId, long price) {
        post("/markets/" + cargo + "/asks", "{\"islandId\":\"" + islandId + "\",\"priceMicroCredits\":" + price + "}",
                201);
    }

    /** Waits until the read side shows {@code path} with {@code expected} values at the given JSON paths. */
    Reply awaitView(String path, Map<String, Object> expected) {
        // a path the view does not have yet (a list still empty) is not there yet, not a failure
        return await().atMost(READ_SIDE).ignoreExceptions().until(() -> get(path), reply -> reply.status() == 200
                && expected.entrySet().stream().allMatch(entry -> entry.getValue().equals(reply.json(entry.getKey()))));
    }

    private Reply exchange(HttpMethod method, String path, @Nullable String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(HttpHeaders.AUTHORIZATION, TestCredentials.OPERATOR);
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(json, headers), String.class);
        return new Reply(response.getStatusCode().value(), response.getHeaders(), response.getBody());
    }

    record Reply(int status, HttpHeaders headers, @Nullable String body) {

        /** The value at {@code path}; numbers as Long, so they compare with long literals. */
        @Nullable Object json(String path) {
            Object value = JsonPath.read(body, path);
            return value instanceof Integer number ? Long.valueOf(number) : value;
        }

        long number(String path) {
            return ((Number) JsonPath.read(body, path)).longValue();
        }
    }
}
