package io.archipelago.query;

import io.archipelago.projections.ReadYourWrites;
import io.archipelago.projections.rollout.RolloutViews;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.account.AccountBalanceView;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.account.BidPreferencesView;
import io.archipelago.projections.account.BidPreferencesViews;
import io.archipelago.projections.job.JobViews;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.projections.registry.RegistryViews;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** {@code GET /accounts/{id}/preferences} over a stubbed read model. */
@SpringBootTest(classes = BidPreferencesQueriesTest.App.class)
@AutoConfigureMockMvc
class BidPreferencesQueriesTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, ProjectionsConfiguration.class})
    static class App {
    }

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private ReadYourWrites fresh;

    @MockitoBean
    private RolloutViews rollouts;

    @MockitoBean
    private BidPreferencesViews preferences;

    @MockitoBean
    private AccountBalances balances;

    @MockitoBean
    private JobViews jobs;

    @MockitoBean
    private MarketViews markets;

    /** The registry's queries need it; these tests do not read it. */
    @MockitoBean
    private RegistryViews registry;

    @Test
    void answersThePreferencesInTheTermsPutTakes() throws Exception {
        when(preferences.find("alice")).thenReturn(Optional.of(new BidPreferencesView("alice",
                new BidPreferences(PricePerUnit.of(2_000), 20L, JurisdictionPolicy.parse("FR,DE"), Karma.of(400),
                        50_000L, true), T0)));

        mvc.perform(get("/accounts/alice/preferences"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.limitMicroCredits").value(2_000))
                .andExpect(jsonPath("$.maxUnits").value(20))
                .andExpect(jsonPath("$.jurisdiction").value("DE,FR"))
                .andExpect(jsonPath("$.jurisdictionCountries[1]").value("FR"))
                .andExpect(jsonPath("$.minKarma").value(400))
                .andExpect(jsonPath("$.maxLatencyMs").value(50))
                .andExpect(jsonPath("$.verifiedOnly").value(true))
                .andExpect(jsonPath("$.setAt").value("2026-03-02T10:00:00Z"));
    }

    @Test
    void anOpenAccountWithoutPreferencesHasNone() throws Exception {
        when(preferences.find("bob")).thenReturn(Optional.empty());
        when(balances.find("bob")).thenReturn(Optional.of(new AccountBalanceView("bob", "DE", 0, 0, 0, 0, T0, T0)));

        mvc.perform(get("/accounts/bob/preferences"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jurisdiction").doesNotExist())
                .andExpect(jsonPath("$.verifiedOnly").value(false));
    }

    @Test
    void anUnknownAccountIsNotFound() throws Exception {
        when(preferences.find("ghost")).thenReturn(Optional.empty());
        when(balances.find("ghost")).thenReturn(Optional.empty());

        mvc.perform(get("/accounts/ghost/preferences"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("account ghost is not known"));
    }
}
