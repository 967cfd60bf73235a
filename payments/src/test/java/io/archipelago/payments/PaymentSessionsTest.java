package io.archipelago.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.ids.CargoType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Starting a card deposit and a host's identity check: the Stripe sessions carry what the webhooks need later. */
class PaymentSessionsTest extends StripeOnContext {

    @BeforeEach
    void stubSessions() {
        StripeStub.server().resetAll();
        StripeStub.server().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(okJson(
                "{\"id\":\"cs_test_1\",\"object\":\"checkout.session\",\"url\":\"https://checkout.test/cs_test_1\"}")));
        StripeStub.server().stubFor(post(urlEqualTo("/v1/identity/verification_sessions")).willReturn(okJson(
                "{\"id\":\"vs_test_1\",\"object\":\"identity.verification_session\","
                        + "\"url\":\"https://verify.test/vs_test_1\"}")));
    }

    private ResultActions checkout(AccountId account, String body) throws Exception {
        return http.perform(MockMvcRequestBuilders.post("/accounts/" + account + "/checkout")
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static String sentTo(String path) {
        return URLDecoder.decode(StripeStub.server().findAll(postRequestedFor(urlEqualTo(path))).get(0)
                .getBodyAsString(), StandardCharsets.UTF_8);
    }

    @Test
    void aCheckoutSellsWholeCreditsAtOneCentEachTaggedWithTheAccount() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);

        checkout(consumer, "{\"credits\":2500}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sessionId").value("cs_test_1"))
                .andExpect(jsonPath("$.url").value("https://checkout.test/cs_test_1"))
                .andExpect(jsonPath("$.amountCents").value(2500))
                .andExpect(jsonPath("$.currency").value("usd"));

        assertThat(sentTo("/v1/checkout/sessions")).contains("mode=payment", "metadata[account_id]=" + consumer,
                "metadata[credits]=2500", "client_reference_id=" + consumer, "[unit_amount]=2500", "[currency]=usd");
    }

    @Test
    void aCheckoutMayBeAskedForInMicroCreditsOfWholeCredits() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);

        checkout(consumer, "{\"amountMicroCredits\":75000000}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.credits").value(75));
        checkout(consumer, "{\"amountMicroCredits\":75000001}").andExpect(status().isBadRequest());
        checkout(consumer, "{\"credits\":10}").andExpect(status().isBadRequest());
        checkout(consumer, "{\"credits\":100,\"amountMicroCredits\":100000000}").andExpect(status().isBadRequest());
    }

    @Test
    void aCheckoutForAnAccountThatIsNotOpenIsNotFound() throws Exception {
        checkout(account(unique("ghost")), "{\"credits\":100}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.status").value(404));
        assertThat(StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")))).isEmpty();
    }

    @Test
    void aHostStartsAnIdentityCheckTaggedWithItsIsland() throws Exception {
        IslandId island = new IslandId(unique("island"));
        commands.sendAndWait(new RegisterIsland(island, account(unique("host")), TestExchange.GERMANY,
                Set.of(new CargoType("llm.sessions")), 1, AvailabilitySchedule.ALWAYS, false, TestExchange.T0));

        http.perform(MockMvcRequestBuilders.post("/islands/" + island + "/verification"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.url").value("https://verify.test/vs_test_1"));

        assertThat(sentTo("/v1/identity/verification_sessions")).contains("type=document",
                "metadata[island_id]=" + island);
    }

    @Test
    void aPayoutDestinationMustBeAConnectAccount() throws Exception {
        AccountId host = account(unique("host"));
        exchange().open(host);
        http.perform(MockMvcRequestBuilders.post("/accounts/" + host + "/payout-destination")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"stripeAccountId\":\"iban DE00\"}"))
                .andExpect(status().isBadRequest());
        http.perform(MockMvcRequestBuilders.post("/accounts/" + host + "/payout-destination")
                        .contentType(MediaType.APPLICATION_JSON).content("not json"))
                .andExpect(status().isBadRequest());
    }
}
