package io.archipelago.command;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.SetBidPreferences;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * {@code PUT /accounts/{id}/preferences} against a mocked gateway: what reaches the account, and each refusal. In the
 * root package, which the command API's component scan leaves out, so its application does not leak into others.
 */
@SpringBootTest(classes = BidPreferencesEndpointTest.App.class)
@AutoConfigureMockMvc
class BidPreferencesEndpointTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        /** Primary over the clock of another test's application, which the component scan finds on the class path. */
        @Bean
        @Primary
        Clock fixedClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private CommandGateway gateway;

    @BeforeEach
    void exchangeAcceptsEverything() {
        when(gateway.send(any())).thenReturn(CompletableFuture.completedFuture(null));
    }

    @Test
    void replacesEveryPreferenceAndAnswersThemAsSet() throws Exception {
        put("alice", """
                {"limitMicroCredits":2000,"maxUnits":20,"jurisdiction":"ch","minKarma":400,"maxLatencyMs":50,
                 "verifiedOnly":true}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accountId").value("alice"))
                .andExpect(jsonPath("$.jurisdiction").value("CH"))
                .andExpect(jsonPath("$.jurisdictionCountries[0]").value("CH"))
                .andExpect(jsonPath("$.maxLatencyMs").value(50))
                .andExpect(jsonPath("$.verifiedOnly").value(true));

        verify(gateway).send(new SetBidPreferences(new AccountId("alice"), new BidPreferences(PricePerUnit.of(2_000),
                20L, JurisdictionPolicy.ch(), Karma.of(400), 50_000L, true), NOW));
    }

    @Test
    void anEmptyBodyClearsThemAndACountryListIsNamedByItsCodes() throws Exception {
        put("alice", "{}").andExpect(status().isOk()).andExpect(jsonPath("$.verifiedOnly").value(false));
        verify(gateway).send(new SetBidPreferences(new AccountId("alice"), BidPreferences.NONE, NOW));

        put("alice", "{\"jurisdiction\":\"FR, de\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jurisdiction").value("DE,FR"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"limitMicroCredits\":0}|limitMicroCredits",
            "{\"maxUnits\":-1}|maxUnits",
            "{\"maxUnits\":1000000001}|maxUnits",
            "{\"minKarma\":1001}|minKarma",
            "{\"maxLatencyMs\":0}|maxLatencyMs",
            "{\"maxLatencyMs\":60001}|maxLatencyMs",
            "{\"jurisdiction\":\"XX\"}|jurisdiction: a country is an ISO 3166-1 alpha-2 code",
            "{\"jurisdiction\":\"\"}|jurisdiction",
            "{\"verifiedOnly\":\"maybe\"}|verifiedOnly",
            "{\"jurisdicton\":\"CH\"}|unknown field 'jurisdicton'",
            "[]|a JSON object"})
    void refusesAnInvalidTermWithAProblemNamingIt(String body, String detail) throws Exception {
        put("alice", body)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail", containsString(detail)));
        verify(gateway, never()).send(any());
    }

    @Test
    void anAccountThatIsNotOpenIsNotFound() throws Exception {
        when(gateway.send(any())).thenReturn(CompletableFuture.failedFuture(
                new AggregateNotFoundException("bob", "no account")));

        put("bob", "{\"limitMicroCredits\":2000}").andExpect(status().isNotFound());
    }

    private ResultActions put(String account, String body) throws Exception {
        return mvc.perform(MockMvcRequestBuilders.put("/accounts/" + account + "/preferences")
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
