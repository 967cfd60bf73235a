package io.archipelago.coordinator.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.batch.api.BatchId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.publisher.api.KeyId;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.IslandRtt;
import io.archipelago.exchange.market.api.PlacePipeline;
import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.exchange.market.api.SubmitBids;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.rollout.api.RolloutId;
import io.archipelago.exchange.workflow.api.WorkflowId;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

/**
 * Every record of exchange-core's {@code api} packages (events, commands and the values they carry) survives the
 * serializer the event store uses, and is stored as exactly its components: the stored form is a contract.
 */
class ExchangeJsonTest {

    private static final Serializer SERIALIZER = EventStoreConfiguration.jackson();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Values whose components are constrained beyond their Java type; everything else is built generically. */
    private static final Map<Class<?>, Supplier<Object>> SAMPLES = Map.ofEntries(
            Map.entry(CargoType.class, () -> new CargoType("llm.chat.sample-7b")),
            Map.entry(AccountId.class, () -> new AccountId("account.sample_1")),
            Map.entry(IslandId.class, () -> new IslandId("island-sample")),
            Map.entry(JobId.class, () -> new JobId("job-sample")),
            Map.entry(BatchId.class, () -> new BatchId("batch-sample")),
            Map.entry(WorkflowId.class, () -> new WorkflowId("wf-sample")),
            Map.entry(RolloutId.class, () -> new RolloutId("llm.chat.sample")),
            Map.entry(Country.class, () -> Country.of("CH")),
            Map.entry(Karma.class, () -> Karma.of(731)),
            Map.entry(JurisdictionPolicy.class, JurisdictionPolicy::eu),
            Map.entry(AvailabilitySchedule.class, () -> new AvailabilitySchedule(List.of(
                    new AvailabilitySchedule.Window(60, 600), new AvailabilitySchedule.Window(1_440, 2_000)))),
            Map.entry(AvailabilitySchedule.Window.class, () -> new AvailabilitySchedule.Window(5, 6)),
            Map.entry(BidPreferences.class, () -> new BidPreferences(PricePerUnit.of(2_000), 20L,
                    JurisdictionPolicy.ch(), Karma.of(400), 50_000L, true)),
            Map.entry(CargoImage.class, () -> new CargoImage("registry.example/sample/cargo",
                    "sha256:" + "5a".repeat(32))),
            Map.entry(CargoResources.class, () -> new CargoResources(8_192, 4_096, 4)),
            Map.entry(PipelineStage.class, () -> new PipelineStage(0, 3, 60)),
            Map.entry(PipelineShape.class, () -> new PipelineShape(List.of(new PipelineStage(0, 3, 60),
                    new PipelineStage(3, 6, 30)))),
            Map.entry(IslandRtt.class, () -> new IslandRtt(new IslandId("island-a"), new IslandId("island-b"), 400)),
            Map.entry(PlacePipeline.class, () -> new PlacePipeline(new CargoType("embeddings.sample"),
                    new JobId("job-sample"), new AccountId("account-sample"), PricePerUnit.of(1_000), 40,
                    Map.of(new IslandId("island-a"), 64L), List.of(new IslandRtt(new IslandId("island-a"),
                    new IslandId("island-b"), 400)), Instant.parse("2026-03-02T10:00:00Z"))),
            Map.entry(KeyId.class, () -> new KeyId("sha256:" + "c3".repeat(32))),
            Map.entry(VersionManifest.class, () -> new VersionManifest(CargoUnit.THOUSAND_TOKENS, "container",
                    new CargoResources(8_192, 4_096, 4), List.of("q4_k_m"), "Apache-2.0", PricePerUnit.of(300))));

    static Stream<Class<?>> apiRecords() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(Record.class));
        Set<String> names = new TreeSet<>();
        scanner.findCandidateComponents("io.archipelago.exchange")
                .forEach(found -> names.add(found.getBeanClassName()));
        return names.stream().filter(name -> name.contains(".api.")).map(ExchangeJsonTest::load);
    }

    @Test
    void theScanFindsTheEventsCommandsAndValues() {
        List<Class<?>> records = apiRecords().toList();
        assertThat(records).contains(BidSubmitted.class, JobCompleted.class, CreditsReserved.class,
                IslandRegistered.class, MarketRateCleared.class, SubmitBids.class, AvailabilitySchedule.Window.class);
        assertThat(records).hasSizeGreaterThan(50);
    }

    @ParameterizedTest
    @MethodSource("apiRecords")
    void roundTripsWithEveryComponentSet(Class<?> type) throws Exception {
        assertRoundTrip(sample(type, false));
    }

    @ParameterizedTest
    @MethodSource("apiRecords")
    void roundTripsWithNullableComponentsLeftOut(Class<?> type) throws Exception {
        assertRoundTrip(sample(type, true));
    }

    @Test
    void instantsKeepTheirNanosecondsAndAmountsStayIntegers() throws Exception {
        Instant at = Instant.parse("2025-06-02T10:00:00.123456789Z");
        CreditsReserved reserved = new CreditsReserved(new AccountId("a"), new JobId("j"),
                MicroCredits.of(Long.MAX_VALUE), at);
        JsonNode json = assertRoundTrip(reserved);
        assertThat(json.get("at").asText()).isEqualTo("2025-06-02T10:00:00.123456789Z");
        assertThat(json.get("amount").get("value").isIntegralNumber()).isTrue();
        assertThat(json.get("amount").get("value").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(SERIALIZER.serialize(PricePerUnit.of(0), byte[].class).getData())
                .asString(StandardCharsets.UTF_8).isEqualTo("{\"microCredits\":0}");
    }

    /**
     * Serializes, checks that every stored JSON object names exactly the components of the record it stores (nested
     * ones too), deserializes and compares.
     */
    private static JsonNode assertRoundTrip(Object value) throws Exception {
        SerializedObject<byte[]> stored = SERIALIZER.serialize(value, byte[].class);
        JsonNode json = JSON.readTree(stored.getData());
        assertStoresExactlyTheComponents(value, json);
        Object read = SERIALIZER.deserialize(stored);
        assertThat(read).isEqualTo(value).isInstanceOf(value.getClass());
        return json;
    }

    private static void assertStoresExactlyTheComponents(@Nullable Object value, JsonNode json) throws Exception {
        if (value instanceof Record) {
            assertThat(fieldNames(json)).as("stored fields of %s", value.getClass().getName())
                    .isEqualTo(componentNames(value.getClass()));
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                component.getAccessor().setAccessible(true);
                assertStoresExactlyTheComponents(component.getAccessor().invoke(value), json.get(component.getName()));
            }
        } else if (value instanceof Iterable<?> elements && json.isArray()) {
            List<Object> ordered = new ArrayList<>();
            elements.forEach(ordered::add);
            for (int i = 0; i < ordered.size(); i++) {
                assertStoresExactlyTheComponents(ordered.get(i), json.get(i));
            }
        }
    }

    private static Set<String> fieldNames(JsonNode json) {
        Set<String> names = new TreeSet<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> componentNames(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }

    private static Object sample(Type type, boolean nullsWherePossible) throws Exception {
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Object element = sample(generic.getActualTypeArguments()[0], nullsWherePossible);
            if (raw == List.class) {
                return List.of(element);
            }
            if (raw == Set.class) {
                return new HashSet<>(Set.of(element));
            }
            if (raw == Map.class) {
                return Map.of(element, sample(generic.getActualTypeArguments()[1], nullsWherePossible));
            }
            throw new AssertionError("no sample for " + type);
        }
        Class<?> raw = (Class<?>) type;
        Supplier<Object> known = SAMPLES.get(raw);
        if (known != null) {
            return known.get();
        }
        if (raw == String.class) {
            return "sample text ✓";
        }
        if (raw == long.class || raw == Long.class) {
            return 1_234_567_890_123L;
        }
        if (raw == int.class || raw == Integer.class) {
            return 42;
        }
        if (raw == double.class || raw == Double.class) {
            return 0.125;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return true;
        }
        if (raw == Instant.class) {
            return Instant.parse("2025-06-02T10:00:00.000000001Z");
        }
        if (raw == Duration.class) {
            return Duration.ofMinutes(90).plusNanos(5);
        }
        if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            return constants[constants.length - 1];
        }
        if (raw.isRecord()) {
            return record(raw, nullsWherePossible);
        }
        throw new AssertionError("no sample for " + raw.getName() + ": add one to SAMPLES");
    }

    private static Object record(Class<?> type, boolean nullsWherePossible) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        List<Object> arguments = new ArrayList<>();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            parameterTypes[i] = component.getType();
            boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class)
                    || component.isAnnotationPresent(Nullable.class);
            arguments.add(nullsWherePossible && nullable ? null
                    : sample(component.getGenericType(), nullsWherePossible));
        }
        Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
        canonical.setAccessible(true);
        return canonical.newInstance(arguments.toArray());
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException missing) {
            throw new IllegalStateException(missing);
        }
    }
}
