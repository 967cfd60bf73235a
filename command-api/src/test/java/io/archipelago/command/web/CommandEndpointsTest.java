package io.archipelago.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.ChangeIslandSchedule;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** The command endpoints against a mocked gateway: what reaches the exchange, and how refusals read. */
@SpringBootTest(classes = CommandEndpointsTest.App.class)
@AutoConfigureMockMvc
class CommandEndpointsTest {

    private static final Instant NOW = Instant.parse("2025-03-03T10:00:00Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Clock clock() {
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
    void opensAnAccountStampedWithTheClock() throws Exception {
        post("/accounts", "{\"accountId\":\"alice\",\"country\":\"DE\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/accounts/alice/balance"))
                .andExpect(jsonPath("$.accountId").value("alice"));

        verify(gateway).send(new OpenAccount(new AccountId("alice"), Country.of("DE"), NOW));
    }

    @Test
    void aDepositWithoutIdGetsAGeneratedOne() throws Exception {
        post("/accounts/alice/deposits", "{\"amountMicroCredits\":5000000}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.depositId").isNotEmpty())
                .andExpect(jsonPath("$.amountMicroCredits").value(5_000_000));
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("/accounts", "{}", "accountId: must not be blank; country: must not be blank"),
                Arguments.of("/accounts", "{\"accountId\":\"alice\",\"country\":\"XX\"}", "ISO 3166-1"),
                Arguments.of("/accounts", "{\"accountId\":\"al ice\",\"country\":\"DE\"}", "an account id is"),
                Arguments.of("/accounts", "{\"accountId\":\"alice\",", "the body is not valid JSON"),
                Arguments.of("/accounts", "", "a JSON body is required"),
                Arguments.of("/accounts", "[]", "the body must be a JSON object"),
                Arguments.of("/accounts", "{\"accountId\":\"alice\",\"country\":\"DE\",\"currency\":\"EUR\"}",
                        "unknown field 'currency'; the fields are [accountId, country]"),
                Arguments.of("/accounts/alice/deposits", "{\"amountMicroCredits\":-5}",
                        "amountMicroCredits: must be greater than 0"),
                Arguments.of("/accounts/alice/deposits", "{\"amountMicroCredits\":\"lots\"}",
                        "amountMicroCredits: expected a whole number"),
                Arguments.of("/cargos", "{\"cargo\":\"llm.chat\",\"unit\":\"TOKENS\",\"publisher\":\"meta\","
                        + "\"royaltyMicroCredits\":1}", "unit: expected one of [THOUSAND_TOKENS, IMAGE, SECOND]"),
                Arguments.of("/cargos", "{\"cargo\":\"LLM\",\"unit\":\"IMAGE\",\"publisher\":\"meta\","
                        + "\"royaltyMicroCredits\":1}", "a cargo type is"),
                Arguments.of("/islands", "{\"islandId\":\"i1\",\"owner\":\"bob\",\"country\":\"DE\","
                        + "\"cargoTypes\":[],\"slots\":1}", "cargoTypes: must not be empty"),
                Arguments.of("/islands", "{\"islandId\":\"i1\",\"owner\":\"bob\",\"country\":\"DE\","
                        + "\"cargoTypes\":[\"llm.chat\"],\"slots\":1,\"schedule\":[{\"startMinute\":600,"
                        + "\"endMinute\":60}]}", "a schedule window is"),
                Arguments.of("/islands/i1/rtt", "{\"rttMicros\":-1}", "rttMicros: must be greater than or equal to 0"),
                Arguments.of("/markets/llm.chat/bids", "{\"consumer\":\"alice\",\"limitMicroCredits\":100,"
                        + "\"maxUnits\":10,\"jurisdicton\":\"EU\"}", "unknown field 'jurisdicton'"),
                Arguments.of("/markets/llm.chat/bids", "{\"consumer\":\"alice\",\"limitMicroCredits\":100,"
                        + "\"maxUnits\":10,\"jurisdiction\":\"EU,XX\"}", "ISO 3166-1"),
                Arguments.of("/markets/llm.chat/bids", "{\"consumer\":\"alice\",\"limitMicroCredits\":100,"
                        + "\"maxUnits\":10,\"ttlSeconds\":172800}", "time to live"),
                Arguments.of("/markets/llm.chat/bids", "{\"consumer\":\"alice\",\"limitMicroCredits\":0,"
                        + "\"maxUnits\":10,\"minKarma\":1001}",
                        "limitMicroCredits: must be greater than 0; minKarma: must be less than or equal to 1000"),
                Arguments.of("/markets/llm.chat/jobs/j1/complete", "{}", "units: must not be null"),
                Arguments.of("/markets/llm.chat/jobs/j1/fail", "{\"reason\":\" \"}", "reason: must not be blank"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource
    void badInput(String path, String body, String detail) throws Exception {
        post(path, body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail", containsString(detail)));

        verify(gateway, never()).send(any());
    }

    @Test
    void changesAnIslandsScheduleToWindowsOrAlways() throws Exception {
        put("/islands/i1/schedule", "{\"windows\":[{\"startMinute\":540,\"endMinute\":1020},"
                + "{\"startMinute\":1980,\"endMinute\":2460}]}")
                .andExpect(status().isNoContent());
        put("/islands/i1/schedule", "{\"always\":true}")
                .andExpect(status().isNoContent());

        verify(gateway).send(new ChangeIslandSchedule(new IslandId("i1"), new AvailabilitySchedule(List.of(
                new AvailabilitySchedule.Window(540, 1_020), new AvailabilitySchedule.Window(1_980, 2_460))), NOW));
        verify(gateway).send(new ChangeIslandSchedule(new IslandId("i1"), AvailabilitySchedule.ALWAYS, NOW));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"windows\":[{\"startMinute\":600,\"endMinute\":60}]}|a schedule window is",
        "{\"windows\":[{\"startMinute\":0,\"endMinute\":10081}]}|a schedule window is",
        "{\"windows\":[{\"startMinute\":0}]}|windows[0].endMinute: must not be null",
        "{\"windows\":[]}|a schedule gives its windows, or always: true",
        "{}|a schedule gives its windows, or always: true",
        "{\"always\":false}|a schedule gives its windows, or always: true",
        "{\"always\":true,\"windows\":[{\"startMinute\":0,\"endMinute\":60}]}|either always or windows",
        "{\"always\":true,\"days\":[1]}|unknown field 'days'"})
    void refusesABadScheduleAndRecordsNothing(String bodyAndDetail) throws Exception {
        String[] parts = bodyAndDetail.split("\\|", 2);
        put("/islands/i1/schedule", parts[0])
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString(parts[1])));

        verify(gateway, never()).send(any());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(new IllegalArgumentException("island i9 is not registered"), 400,
                        "island i9 is not registered"),
                Arguments.of(new IllegalStateException("island i1 already has an ask"), 409,
                        "island i1 already has an ask"),
                Arguments.of(new AggregateNotFoundException("i9", "The aggregate was not found"), 404,
                        "'i9' does not exist"),
                Arguments.of(new AggregateStreamCreationException("An event for aggregate [i1] at sequence [0]"), 409,
                        "it already exists"),
                Arguments.of(new CommandExecutionException("wrapped", new IllegalArgumentException("the cause")), 400,
                        "the cause"),
                Arguments.of(new RuntimeException("connection to db-7.internal refused"), 500,
                        "the exchange could not handle this request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusals(RuntimeException failure, int status, String detail) throws Exception {
        when(gateway.send(any())).thenReturn(CompletableFuture.failedFuture(failure));

        post("/markets/llm.chat/asks", "{\"islandId\":\"i1\",\"priceMicroCredits\":100}")
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString(detail)))
                .andExpect(content().string(not(containsString("Exception"))))
                .andExpect(content().string(not(containsString("db-7"))));
    }

    @Test
    void aBidAnswersWithItsOutcomeAndTheJobsAddress() throws Exception {
        when(gateway.send(any(SubmitBids.class))).thenAnswer(invocation -> {
            SubmitBids batch = invocation.getArgument(0);
            return CompletableFuture.completedFuture(batch.bids().stream()
                    .map(bid -> BidOutcome.placed(bid.jobId(), new IslandId("i1"))).toList());
        });

        post("/markets/llm.chat/bids", "{\"jobId\":\"job-1\",\"consumer\":\"alice\",\"limitMicroCredits\":100,"
                + "\"maxUnits\":10,\"jurisdiction\":\"DE,FR\",\"maxRttMicros\":5000}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/jobs/job-1"))
                .andExpect(jsonPath("$.jobId").value("job-1"))
                .andExpect(jsonPath("$.status").value("PLACED"))
                .andExpect(jsonPath("$.islandId").value("i1"));

        ArgumentCaptor<SubmitBids> sent = ArgumentCaptor.forClass(SubmitBids.class);
        verify(gateway).send(sent.capture());
        SubmitBid bid = sent.getValue().bids().get(0);
        assertThat(bid.jurisdiction().sortedCountries()).containsExactly(Country.of("DE"), Country.of("FR"));
        assertThat(bid.maxRttMicros()).isEqualTo(5000L);
        assertThat(bid.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(bid.at()).isEqualTo(NOW);
    }

    @Test
    void aBidLeavingTheAccountsJurisdictionIsAProblem() throws Exception {
        when(gateway.send(any(SubmitBids.class))).thenAnswer(invocation -> {
            SubmitBids batch = invocation.getArgument(0);
            return CompletableFuture.completedFuture(batch.bids().stream()
                    .map(bid -> BidOutcome.rejected(bid.jobId(), RejectionReason.POLICY_JURISDICTION_CONFLICT))
                    .toList());
        });

        post("/markets/llm.chat/bids", "{\"jobId\":\"job-1\",\"consumer\":\"alice\",\"limitMicroCredits\":100,"
                + "\"maxUnits\":10,\"jurisdiction\":\"DE\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Jurisdiction conflict"))
                .andExpect(jsonPath("$.detail", containsString("never the reverse")))
                .andExpect(jsonPath("$.reason").value("POLICY_JURISDICTION_CONFLICT"))
                .andExpect(jsonPath("$.jobId").value("job-1"));
    }

    private ResultActions post(String path, String body) throws Exception {
        return mvc.perform(MockMvcRequestBuilders.post(path)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions put(String path, String body) throws Exception {
        return mvc.perform(MockMvcRequestBuilders.put(path)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
