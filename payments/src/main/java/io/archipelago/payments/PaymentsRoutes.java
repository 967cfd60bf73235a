package io.archipelago.payments;

import io.archipelago.access.RouteTable;
import io.archipelago.access.RouteTable.Route;
import io.archipelago.access.Rule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link RouteTable} of the payments endpoints: Stripe's webhooks are public (the controller verifies Stripe's
 * signature), checkout and payout destinations are the account's, identity verification the Island owner's; the
 * reconciliation report is named by no route and so is the operator's alone.
 */
@Configuration(proxyBeanMethods = false)
public class PaymentsRoutes {

    @Bean
    public RouteTable paymentsRouteTable() {
        return RouteTable.of("payments",
                Route.post("/stripe/webhooks", Rule.PUBLIC),
                Route.post("/accounts/{accountId}/checkout", Rule.OWN_ACCOUNT),
                Route.post("/accounts/{accountId}/payout-destination", Rule.OWN_ACCOUNT),
                Route.post("/islands/{islandId}/verification", Rule.OWN_ISLAND));
    }
}
