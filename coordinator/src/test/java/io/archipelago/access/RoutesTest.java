package io.archipelago.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.command.CommandApiConfiguration;
import io.archipelago.coordinator.CoordinatorRoutes;
import io.archipelago.coordinator.bridge.BridgeRoutes;
import io.archipelago.coordinator.openai.OpenAiRoutes;
import io.archipelago.payments.PaymentsRoutes;
import io.archipelago.query.QueryApiConfiguration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.server.PathContainer;

/** The route tables every module of the coordinator declares, merged as the access filter merges them. */
class RoutesTest {

    private static final Routes ROUTES = new Routes(List.of(new CoordinatorRoutes().actuatorRouteTable(),
            new AccessConfiguration().keyRouteTable(), new CommandApiConfiguration().commandApiRouteTable(),
            new QueryApiConfiguration().queryApiRouteTable(), new PaymentsRoutes().paymentsRouteTable(),
            new OpenAiRoutes().openAiRouteTable(), new BridgeRoutes().bridgeRouteTable()));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET,    /actuator/health,                     PUBLIC",
            "GET,    /actuator/health/liveness,            PUBLIC",
            "GET,    /actuator/info,                       PUBLIC",
            "POST,   /stripe/webhooks,                     PUBLIC",
            "GET,    /actuator/prometheus,                 OPERATOR",
            "GET,    /actuator/metrics,                    OPERATOR",
            "GET,    /stripe/webhooks,                     OPERATOR",
            "POST,   /v1/chat/completions,                 CONSUMER",
            "GET,    /v1/models,                           CONSUMER",
            "POST,   /v1/embeddings,                       CONSUMER",
            "POST,   /v1/images/generations,               CONSUMER",
            "GET,    /v1/images/files/img-1/0.png,         PUBLIC",
            "HEAD,   /v1/images/files/img-1/0.png,         PUBLIC",
            "GET,    /batches/b-1,                         CONSUMER",
            "POST,   /batches,                             CONSUMER",
            "POST,   /quotes,                              CONSUMER",
            "POST,   /accounts,                            OPERATOR",
            "POST,   /accounts/alice/deposits,             OWN_ACCOUNT_OPERATOR_ACTION",
            "GET,    /accounts/alice/balance,              OWN_ACCOUNT",
            "POST,   /accounts/alice/payouts,              OWN_ACCOUNT",
            "POST,   /accounts/alice/payout-destination,   OWN_ACCOUNT",
            "POST,   /accounts/alice/checkout,             OWN_ACCOUNT",
            "POST,   /accounts/alice/keys,                 OWN_ACCOUNT",
            "DELETE, /accounts/alice/keys/ak-123456789,    OWN_ACCOUNT",
            "GET,    /jobs/job-1,                          OWN_JOB",
            "HEAD,   /jobs/job-1,                          OWN_JOB",
            "GET,    /jobs/job-1/output,                   CLAIMED_JOB",
            "PUT,    /jobs/job-1/input,                    CLAIMED_JOB",
            "POST,   /jobs/job-1/input,                    OPERATOR",
            "POST,   /markets/llm/bids,                    BID",
            "POST,   /markets/llm/asks,                    ASK",
            "PUT,    /markets/llm/asks/island-1,           OWN_ISLAND",
            "DELETE, /markets/llm/asks/island-1,           OWN_ISLAND",
            "POST,   /markets/llm/expire,                  OPERATOR",
            "POST,   /markets/llm/clear,                   OPERATOR",
            "POST,   /markets/llm/jobs/job-1/complete,     OPERATOR",
            "GET,    /markets,                             ANY_CALLER",
            "GET,    /markets/llm,                         ANY_CALLER",
            "GET,    /markets/llm/candles,                 ANY_CALLER",
            "GET,    /markets/llm/depth,                   ANY_CALLER",
            "POST,   /cargos,                              OPERATOR",
            "POST,   /islands,                             ISLAND_REGISTRATION",
            "POST,   /islands/island-1/session,            OWN_ISLAND",
            "POST,   /islands/island-1/online,             OWN_ISLAND",
            "POST,   /islands/island-1/offline,            OWN_ISLAND",
            "POST,   /islands/island-1/verification,       OWN_ISLAND",
            "POST,   /islands/island-1/verify,             OPERATOR",
            "POST,   /islands/island-1/rtt,                OPERATOR",
            "GET,    /islands,                             ANY_CALLER",
            "GET,    /islands/island-1,                    ANY_CALLER",
            "GET,    /islands/island-1/karma,              ANY_CALLER",
            "GET,    /admin/dead-letters,                  OPERATOR",
            "POST,   /admin/read-models/rebuild,           OPERATOR",
            "GET,    /stripe/reconciliation,               OPERATOR",
            "GET,    /payouts,                             OPERATOR",
            "GET,    /usage,                               OPERATOR",
            "GET,    /v3/api-docs,                         OPERATOR",
            "GET,    /anything/else,                       OPERATOR"
    })
    void guardsEachRouteWithItsRule(String method, String path, Rule rule) {
        assertThat(ROUTES.match(method, PathContainer.parsePath(path)).rule()).isEqualTo(rule);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/accounts/alice/balance,      accountId, alice",
            "/jobs/job%2D1/output,         jobId,     job-1",
            "/islands/island-1;x=y/online, islandId,  island-1"
    })
    void extractsTheVariablesAsSpringMvcDoes(String path, String name, String value) {
        assertThat(ROUTES.match(path.endsWith("output") ? "GET" : "POST", PathContainer.parsePath(path))
                .variable(name)).isEqualTo(value);
    }
}
