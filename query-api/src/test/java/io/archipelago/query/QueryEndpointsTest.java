package io.archipelago.query;

import io.archipelago.projections.ReadYourWrites;
import io.archipelago.projections.rollout.RolloutViews;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.account.AccountBalanceView;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.account.BidPreferencesViews;
import io.archipelago.projections.job.JobStatus;
import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.projections.registry.RegistryViews;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The query endpoints over stubbed read models: JSON views when known, 404 problems when not. */
@SpringBootTest(classes = QueryEndpointsTest.App.class)
@AutoConfigureMockMvc
class QueryEndpointsTest {

    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");

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

    /** Reads at once, as the read side does when it has the row. */
    @BeforeEach
    void readAtOnce() {
        when(fresh.read(any())).thenAnswer(call -> call.<Supplier<?>>getArgument(0).get());
    }

    @MockitoBean
    private JobViews jobs;

    @MockitoBean
    private AccountBalances balances;

    @MockitoBean
    private MarketViews markets;

    @MockitoBean
    private BidPreferencesViews preferences;

    /** The registry's queries need it; these tests do not read it. */
    @MockitoBean
    private RegistryViews registry;

    @Test
    void aKnownJobIsItsView() throws Exception {
        when(jobs.find("job-1")).thenReturn(Optional.of(new JobView("job-1", "llm.chat", "alice", JobStatus.PLACED,
                150L, 10L, 1_500L, "EU", "island-1", "bob", 100L, 20L, 7L, 127L, 800L, null, null, null, null, null,
                null, T0, T0.plusSeconds(300), T0.plusSeconds(1), null, null, T0.plusSeconds(1))));

        mvc.perform(get("/jobs/job-1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("PLACED"))
                .andExpect(jsonPath("$.islandId").value("island-1"))
                .andExpect(jsonPath("$.priceMicroCredits").value(127))
                .andExpect(jsonPath("$.submittedAt").value("2025-03-03T10:00:00Z"));
    }

    @Test
    void anUnknownJobIsANotFoundProblem() throws Exception {
        when(jobs.find("nope")).thenReturn(Optional.empty());

        mvc.perform(get("/jobs/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("job nope is not known"));
    }

    @Test
    void balancesAndMarketsAreTheirViews() throws Exception {
        when(balances.find("alice")).thenReturn(Optional.of(new AccountBalanceView("alice", "DE", 9_000, 1_000, 0, 0,
                T0, T0)));
        MarketView market = new MarketView("llm.chat", "THOUSAND_TOKENS", "meta", 20, 2, 1, 100L, 3, 300L, null,
                null, 0, 0, T0, T0);
        when(markets.find("llm.chat")).thenReturn(Optional.of(market));
        when(markets.all()).thenReturn(List.of(market));

        mvc.perform(get("/accounts/alice/balance"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.availableMicroCredits").value(9_000))
                .andExpect(jsonPath("$.escrowMicroCredits").value(1_000));
        mvc.perform(get("/markets/llm.chat"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.bestAskMicroCredits").value(100))
                .andExpect(jsonPath("$.restingBids").value(3));
        mvc.perform(get("/markets"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].cargo").value("llm.chat"));
    }

    @Test
    void unknownBalancesAndMarketsAreNotFoundProblems() throws Exception {
        when(balances.find("nobody")).thenReturn(Optional.empty());
        when(markets.find("video.none")).thenReturn(Optional.empty());

        mvc.perform(get("/accounts/nobody/balance"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail", containsString("account nobody")));
        mvc.perform(get("/markets/video.none"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail", containsString("market video.none")));
    }

    @Test
    void aFailingReadModelIsAGenericServerProblem() throws Exception {
        when(jobs.find("job-1")).thenThrow(new IllegalStateException("relation job_view on db-7 does not exist"));

        mvc.perform(get("/jobs/job-1"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.detail").value("the exchange could not answer this query"))
                .andExpect(content().string(not(containsString("db-7"))));
    }
}
