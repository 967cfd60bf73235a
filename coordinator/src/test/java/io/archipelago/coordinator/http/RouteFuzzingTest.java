package io.archipelago.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.WholeCoordinator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every route of the OpenAPI document ({@code /v3/api-docs}), called as a stranger would with bad input: each path
 * variable, query parameter and body field in turn replaced by a wrong type, null, NUL, a huge or negative number,
 * {@code Long.MAX_VALUE}, a long string and odd Unicode, and bodies that are not the JSON asked for. No answer is a
 * 5xx, every refusal is in the API's error shape (RFC 7807, or OpenAI's under {@code /v1}), and no money moved.
 */
class RouteFuzzingTest {

    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    /** Values that are wrong for any field of the API, as JSON. */
    private static final List<String> BAD_VALUES = List.of("null", "\"\"", "\"\\u0000\"", "-1",
            "9223372036854775807", "-9223372036854775808", "1e309", "\"" + "x".repeat(20_000) + "\"",
            "\"\u202e\uD83D\uDE00\uFFFF\"", "true", "[]", "{}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]");
    /** Values that are wrong for any path variable or query parameter, as text. */
    private static final List<String> BAD_TEXTS = List.of("", " ", "\u0000", "-1", "9223372036854775807",
            "99999999999999999999", "x".repeat(2_000), "\u202e\uD83D\uDE00", "../../etc/passwd", "%", "a/b", "null");
    /** Bodies that are not the JSON object any route reads. */
    private static final List<String> BAD_BODIES = List.of("", "not json", "[]", "null", "\"text\"", "{\"a\":",
            "{\"a\":1,\"a\":2}", "{" + "\"k\":{".repeat(2_000) + "}".repeat(2_001));

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER).build();

    @TempDir
    Path dataDir;

    @Test
    void noBadInputOnAnyRouteIsAServerErrorOrMovesMoney() throws Exception {
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.start(dataDir, Map.of(
                "archipelago.security.rate-limit.requests-per-second", 100_000,
                "archipelago.security.rate-limit.burst", 100_000))) {
            URI url = WholeCoordinator.url(coordinator);
            String account = "fuzz-consumer";
            expect(send(url, "POST", "/cargos", TestCredentials.OPERATOR_TOKEN, "{\"cargo\":\"llm.fuzz\","
                    + "\"unit\":\"THOUSAND_TOKENS\",\"publisher\":\"fuzz-publisher\",\"royaltyMicroCredits\":10}"),
                    201);
            expect(send(url, "POST", "/accounts", TestCredentials.OPERATOR_TOKEN,
                    "{\"accountId\":\"" + account + "\",\"country\":\"DE\"}"), 201);
            expect(send(url, "POST", "/accounts/" + account + "/deposits", TestCredentials.OPERATOR_TOKEN,
                    "{\"amountMicroCredits\":10000000}"), 201);
            String key = json.readTree(send(url, "POST", "/accounts/" + account + "/keys",
                    TestCredentials.OPERATOR_TOKEN, null).body()).path("key").asText();
            JdbcClient jdbc = JdbcClient.create(coordinator.getBean(javax.sql.DataSource.class));
            await().atMost(Duration.ofSeconds(30)).until(() -> !money(jdbc).isEmpty());
            List<Map<String, Object>> before = money(jdbc);

            JsonNode api = json.readTree(send(url, "GET", "/v3/api-docs", TestCredentials.OPERATOR_TOKEN, null)
                    .body());
            List<String> failures = new ArrayList<>();
            int calls = 0;
            for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    String method = operation.getKey().toUpperCase();
                    if (!List.of("GET", "POST", "PUT", "DELETE").contains(method) || streams(operation.getValue())) {
                        continue;
                    }
                    for (Call call : calls(api, method, path.getKey(), operation.getValue())) {
                        for (String credential : List.of(TestCredentials.OPERATOR_TOKEN, key)) {
                            calls++;
                            check(url, call, credential, failures);
                        }
                    }
                }
            }
            assertThat(calls).as("routes called").isGreaterThan(500);
            assertThat(failures).as("answers out of shape, of %d calls", calls).isEmpty();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(money(jdbc)).as("no money moved").isEqualTo(before));
        }
    }

    /** One request to send: method, path with its query, and body (null for none). */
    private record Call(String method, String path, String body) {
    }

    private void check(URI url, Call call, String credential, List<String> failures) throws Exception {
        HttpResponse<String> answer;
        try {
            answer = send(url, call.method(), call.path(), credential, call.body());
        } catch (HttpTimeoutException slow) {
            failures.add(call.method() + " " + call.path() + ": no answer within " + ANSWER);
            return;
        }
        int status = answer.statusCode();
        String what = call.method() + " " + shorten(call.path()) + " " + shorten(String.valueOf(call.body()))
                + " -> " + status + " " + shorten(answer.body());
        if (status >= 500) {
            failures.add(what);
            return;
        }
        if (status >= 400) {
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json") && !type.startsWith("application/json")) {
                failures.add(what + " (Content-Type " + type + ")");
                return;
            }
            JsonNode error = json.readTree(answer.body());
            boolean problem = error.path("status").asInt() == status && error.hasNonNull("detail");
            boolean openAi = error.path("error").hasNonNull("message");
            if (!problem && !openAi) {
                failures.add(what + " (not an error shape)");
            }
        }
    }

    /** For each path variable, query parameter and body field, the operation with that one input made bad. */
    private List<Call> calls(JsonNode api, String method, String template, JsonNode operation) {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            variables.put(matcher.group(1), sample(matcher.group(1)));
        }
        List<String> queries = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asText().equals("query")) {
                queries.add(parameter.path("name").asText());
            }
        }
        ObjectNode body = sampleBody(api, operation);
        List<Call> calls = new ArrayList<>();
        for (String variable : variables.keySet()) {
            for (String bad : BAD_TEXTS) {
                Map<String, String> these = new LinkedHashMap<>(variables);
                these.put(variable, bad);
                calls.add(new Call(method, path(template, these, ""), body == null ? null : body.toString()));
            }
        }
        for (String query : queries) {
            for (String bad : BAD_TEXTS) {
                calls.add(new Call(method, path(template, variables, "?" + query + "=" + encode(bad)),
                        body == null ? null : body.toString()));
            }
        }
        if (body != null) {
            for (String bad : BAD_BODIES) {
                calls.add(new Call(method, path(template, variables, ""), bad));
            }
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                for (String bad : BAD_VALUES) {
                    ObjectNode changed = body.deepCopy();
                    try {
                        changed.set(field, json.readTree(bad));
                    } catch (Exception unreadable) {
                        throw new IllegalStateException(bad, unreadable);
                    }
                    calls.add(new Call(method, path(template, variables, ""), changed.toString()));
                }
            }
        }
        if (variables.isEmpty() && queries.isEmpty() && body == null) {
            calls.add(new Call(method, template, null));
        }
        return calls;
    }

    /** A body with every property the operation's schema names, each a plausible value, or null for none. */
    private ObjectNode sampleBody(JsonNode api, JsonNode operation) {
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return null;
        }
        JsonNode schema = content.elements().next().path("schema");
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            schema = api.path("components").path("schemas").path(name);
        }
        ObjectNode body = json.createObjectNode();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String type = property.getValue().path("type").asText();
            switch (type) {
                case "integer", "number" -> body.put(property.getKey(), 1);
                case "boolean" -> body.put(property.getKey(), false);
                case "array" -> body.putArray(property.getKey());
                case "object" -> body.putObject(property.getKey());
                default -> body.put(property.getKey(), sample(property.getKey()));
            }
        }
        // the OpenAI door reads its bodies as JSON trees: they name no properties, so give them their own
        body.put("model", "llm.fuzz");
        return body;
    }

    private static String sample(String name) {
        return switch (name) {
            case "cargo", "model" -> "llm.fuzz";
            // an account that is not open: no call made of samples can move money, only bad input could
            case "accountId", "consumer", "owner" -> "fuzz-nobody";
            case "country" -> "DE";
            default -> "fuzz-" + name.toLowerCase().replaceAll("[^a-z0-9]", "");
        };
    }

    private static String path(String template, Map<String, String> variables, String query) {
        String path = template;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            path = path.replace("{" + variable.getKey() + "}", encode(variable.getValue()));
        }
        return path + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean streams(JsonNode operation) {
        return operation.toString().contains("text/event-stream");
    }

    private static String shorten(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    private List<Map<String, Object>> money(JdbcClient jdbc) {
        // accounts the fuzzing opened hold nothing; money is what any account holds
        return jdbc.sql("SELECT account_id, available_micro_credits, escrow_micro_credits, earnings_micro_credits, "
                + "payouts_in_flight_micro_credits FROM account_balance_view WHERE available_micro_credits <> 0 "
                + "OR escrow_micro_credits <> 0 OR earnings_micro_credits <> 0 OR payouts_in_flight_micro_credits <> 0 "
                + "ORDER BY account_id").query().listOfRows();
    }

    private HttpResponse<String> send(URI url, String method, String path, String credential, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(ANSWER)
                .header("Authorization", "Bearer " + credential)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    }
}
