package io.archipelago.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.archipelago.access.RouteTable.Route;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;

class RouteTablesTest {

    private static final RouteTable ACCOUNTS = RouteTable.of("accounts",
            Route.any("/accounts/{accountId}/**", Rule.OWN_ACCOUNT));
    private static final RouteTable DEPOSITS = RouteTable.of("deposits",
            Route.post("/accounts/{accountId}/deposits", Rule.OWN_ACCOUNT_OPERATOR_ACTION));

    @Test
    void theMostSpecificRouteDecidesWhateverTheOrderOfTheTables() {
        for (List<RouteTable> tables : List.of(List.of(ACCOUNTS, DEPOSITS), List.of(DEPOSITS, ACCOUNTS))) {
            Routes routes = new Routes(tables);
            assertThat(rule(routes, "POST", "/accounts/alice/deposits")).isEqualTo(Rule.OWN_ACCOUNT_OPERATOR_ACTION);
            assertThat(rule(routes, "GET", "/accounts/alice/deposits")).isEqualTo(Rule.OWN_ACCOUNT);
            assertThat(rule(routes, "POST", "/accounts/alice/payouts")).isEqualTo(Rule.OWN_ACCOUNT);
        }
    }

    @Test
    void aRequestNoTableNamesIsTheOperatorsAlone() {
        assertThat(rule(new Routes(List.of(ACCOUNTS, DEPOSITS)), "GET", "/anything")).isEqualTo(Rule.OPERATOR);
        assertThat(rule(new Routes(List.of()), "GET", "/accounts/alice/balance")).isEqualTo(Rule.OPERATOR);
    }

    @Test
    void refusesTwoTablesGuardingTheSameRoute() {
        RouteTable other = RouteTable.of("other", Route.post("/accounts/{accountId}/deposits", Rule.OWN_ACCOUNT));

        assertThatIllegalStateException().isThrownBy(() -> new Routes(List.of(DEPOSITS, other)))
                .withMessageContaining("both guard /accounts/{accountId}/deposits");
        assertThatIllegalStateException().isThrownBy(() -> new Routes(List.of(DEPOSITS,
                RouteTable.of("any", Route.any("/accounts/{accountId}/deposits", Rule.OPERATOR)))));
        Routes apart = new Routes(List.of(DEPOSITS,
                RouteTable.of("reads", Route.get("/accounts/{accountId}/deposits", Rule.OWN_ACCOUNT))));
        assertThat(rule(apart, "GET", "/accounts/alice/deposits")).isEqualTo(Rule.OWN_ACCOUNT);
    }

    private static Rule rule(Routes routes, String method, String path) {
        return routes.match(method, PathContainer.parsePath(path)).rule();
    }
}
