package io.archipelago.query;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.deadletter.DeadLetterView;
import io.archipelago.projections.deadletter.DeadLetters;
import io.archipelago.projections.history.Candle;
import io.archipelago.projections.history.DepthLevel;
import io.archipelago.projections.history.MarketHistory;
import io.archipelago.projections.history.OrderBookDepth;
import io.archipelago.projections.history.Resolution;
import io.archipelago.projections.island.IslandSchedule;
import io.archipelago.projections.island.IslandView;
import io.archipelago.projections.island.IslandViews;
import io.archipelago.projections.market.MarketAsk;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.projections.payout.PayoutViews;
import io.archipelago.projections.rebuild.ReadModelRebuild;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The analysts' and operators' endpoints over stubbed read models: pages with a next offset, time ranges passed on,
 * parameters out of range as 400 problems, dead letters listed and retried.
 */
@SpringBootTest(classes = ReadSideEndpointsTest.App.class)
@AutoConfigureMockMvc
class ReadSideEndpointsTest {

    private static final Instant T0 = Instant.parse("2025-06-02T10:00:00Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, ProjectionsConfiguration.class,
            QueryApiConfiguration.class})
    @ComponentScan(basePackages = {"io.archipelago.query.history", "io.archipelago.query.admin",
            "io.archipelago.query.web"})
    static class App {
    }

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private MarketHistory history;

    @MockitoBean
    private IslandViews islands;

    @MockitoBean
    private PayoutViews payouts;

    @MockitoBean
    private MarketViews markets;

    @MockitoBean
    private DeadLetters deadLetters;

    @MockitoBean
    private ReadModelRebuild rebuild;

    @Test
    void candlesComeInPagesOfTheTimeRangeAskedFor() throws Exception {
        Candle candle = new Candle("llm.chat", "1m", T0, 100, 120, 90, 110, 42, 3);
        when(history.candles("llm.chat", Resolution.MINUTE, T0, T0.plusSeconds(3600), 0, 1))
                .thenReturn(List.of(candle));

        mvc.perform(get("/markets/llm.chat/candles").param("resolution", "1m").param("from", T0.toString())
                        .param("to", T0.plusSeconds(3600).toString()).param("limit", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].open").value(100))
                .andExpect(jsonPath("$.items[0].high").value(120))
                .andExpect(jsonPath("$.items[0].start").value("2025-06-02T10:00:00Z"))
                .andExpect(jsonPath("$.nextOffset").value(1));
    }

    @Test
    void aLastPageHasNoNextOffset() throws Exception {
        when(history.candles(eq("llm.chat"), eq(Resolution.HOUR), any(), any(), eq(0), eq(100)))
                .thenReturn(List.of());

        mvc.perform(get("/markets/llm.chat/candles"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items").isEmpty())
                .andExpect(jsonPath("$.nextOffset").doesNotExist());
    }

    @Test
    void aHostReadsItsIslandsWithTheirAsksOwnerIncluded() throws Exception {
        IslandView island = new IslandView("island-1", "host-1", "DE", List.of("llm.chat"), 4, true, true, T0, 0, 520,
                20_000L, T0, T0, new IslandSchedule(false, List.of(new IslandSchedule.Window(540, 1_020))));
        when(islands.ownedBy("host-1")).thenReturn(List.of(island));
        when(markets.asksOf("island-1")).thenReturn(List.of(new MarketAsk("llm.chat", "island-1", 900, true)));

        mvc.perform(get("/accounts/host-1/islands"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].island.islandId").value("island-1"))
                .andExpect(jsonPath("$[0].island.owner").value("host-1"))
                .andExpect(jsonPath("$[0].island.schedule.always").value(false))
                .andExpect(jsonPath("$[0].island.schedule.windows[0].startMinute").value(540))
                .andExpect(jsonPath("$[0].island.schedule.windows[0].endMinute").value(1_020))
                .andExpect(jsonPath("$[0].asks[0].cargo").value("llm.chat"))
                .andExpect(jsonPath("$[0].asks[0].priceMicroCredits").value(900));
        mvc.perform(get("/accounts/nobody/islands"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$").isEmpty());
    }

    @Test
    void theFeedStartsWithEveryMarketAndTheIslandsWithoutOwners() throws Exception {
        when(markets.all()).thenReturn(List.of(new MarketView("llm.chat", "THOUSAND_TOKENS", "publisher-1", 20, 2, 2,
                700L, 1, 500L, 650L, T0, 42, 3, T0, T0)));
        when(islands.byKarma(null, 0, 200)).thenReturn(List.of(new IslandView("island-1", "host-1", "DE",
                List.of("llm.chat"), 4, true, true, T0, 0, 520, 20_000L, T0, T0, IslandSchedule.ALWAYS)));

        mvc.perform(get("/markets/feed"))
                .andExpect(request().asyncStarted())
                .andExpect(content().string(containsString(
                        "event:market\ndata:{\"cargo\":\"llm.chat\"")))
                .andExpect(content().string(containsString("\"bestAskMicroCredits\":700")))
                .andExpect(content().string(containsString(
                        "event:islands\ndata:[{\"islandId\":\"island-1\"")))
                .andExpect(content().string(not(containsString("host-1"))));
    }

    @Test
    void parametersOutOfRangeAreBadRequestProblems() throws Exception {
        mvc.perform(get("/markets/llm.chat/candles").param("resolution", "5m"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("unknown resolution 5m: use 1m, 1h or 1d"));
        mvc.perform(get("/payouts").param("from", T0.toString()).param("to", T0.toString()))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/islands").param("limit", "5000"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/payouts").param("status", "LOST"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/usage").param("from", "yesterday"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void depthIslandsAndTheirKarma() throws Exception {
        when(history.depth("llm.chat", 20)).thenReturn(new OrderBookDepth("llm.chat",
                List.of(new DepthLevel(300, 2)), List.of(new DepthLevel(100, 1), new DepthLevel(120, 4))));
        IslandView island = new IslandView("island-1", "host-1", "DE", List.of("llm.chat"), 4, true, true, T0, 0, 520,
                20_000L, T0, T0, new IslandSchedule(false, List.of(new IslandSchedule.Window(1_980, 2_460))));
        when(islands.find("island-1")).thenReturn(Optional.of(island));
        when(islands.find("nowhere")).thenReturn(Optional.empty());

        mvc.perform(get("/markets/llm.chat/depth"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.bids[0].priceMicroCredits").value(300))
                .andExpect(jsonPath("$.asks[1].orders").value(4));
        mvc.perform(get("/islands/island-1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.country").value("DE"))
                .andExpect(jsonPath("$.karma").value(520))
                .andExpect(jsonPath("$.rttMicros").value(20_000))
                .andExpect(jsonPath("$.schedule.always").value(false))
                .andExpect(jsonPath("$.schedule.windows[0].startMinute").value(1_980))
                .andExpect(jsonPath("$.owner").doesNotExist());
        mvc.perform(get("/islands/nowhere"))
                .andExpect(status().isNotFound());
    }

    @Test
    @SuppressWarnings("unchecked") // Mockito's consecutive answers are generic varargs
    void deadLettersAreListedAndRetried() throws Exception {
        when(deadLetters.counts()).thenReturn(Map.of("projections", 1L), Map.of("projections", 0L));
        when(deadLetters.list(100)).thenReturn(List.of(new DeadLetterView("projections", "e-1",
                "io.archipelago.exchange.account.api.AccountOpened", "account:alice", 0L, T0,
                "java.lang.IllegalStateException", "boom", T0, T0)));
        when(deadLetters.has("projections")).thenReturn(true);
        when(deadLetters.retry("projections")).thenReturn(1);

        mvc.perform(get("/admin/dead-letters"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.counts.projections").value(1))
                .andExpect(jsonPath("$.deadLetters[0].aggregateId").value("account:alice"))
                .andExpect(jsonPath("$.deadLetters[0].causeMessage").value("boom"));
        mvc.perform(post("/admin/dead-letters/projections/retry"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.recovered").value(1))
                .andExpect(jsonPath("$.stillParked").value(0));
        mvc.perform(post("/admin/dead-letters/nothing/retry"))
                .andExpect(status().isNotFound());
        verify(deadLetters).retry("projections");
    }
}
