package io.archipelago.projections.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoSignature;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.CargoVersionReviewed;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.exchange.publisher.api.PublisherRegistered;
import io.archipelago.exchange.publisher.api.PublisherTier;
import io.archipelago.exchange.publisher.api.PublisherTierChanged;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class RegistryProjectionTest {

    private static final CargoType CHAT = new CargoType("llm.chat.llama3-8b");
    private static final CargoType IMAGES = new CargoType("img.gen.sdxl");
    private static final AccountId ACME = new AccountId("acme");
    private static final AccountId ALICE = new AccountId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final CargoSignature SIGNATURE = new CargoSignature("cGF5bG9hZA==", "c2lnbmF0dXJl");
    private static final UnitPrice PRICE = new UnitPrice(PricePerUnit.of(100), PricePerUnit.of(30),
            PricePerUnit.of(10));

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final RegistryProjection projection = new RegistryProjection(jdbc);
    private final RegistryViews registry = new RegistryViews(jdbc);

    /** One market's events; the index is the sequence number. */
    private final List<Consumer<Long>> chat = List.of(
            s -> projection.on(published(CHAT, "1.0.0", "container", 8_192, CargoUnit.THOUSAND_TOKENS), s),
            s -> projection.on(published(CHAT, "1.1.0", "process", 2_048, CargoUnit.THOUSAND_TOKENS), s),
            s -> projection.on(assigned("job-1", "1.0.0"), s),
            s -> projection.on(completed("job-1", 7), s),
            s -> projection.on(assigned("job-2", "1.0.0"), s),
            s -> projection.on(new JobFailed(CHAT, new JobId("job-2"), ALICE, new IslandId("island-a"), "crashed",
                    MicroCredits.of(1_000), T0), s),
            s -> projection.on(new CargoVersionReviewed(CHAT, "1.0.0", ALICE, 2, true, "slow", 1, T0), s),
            s -> projection.on(new CargoVersionReviewed(CHAT, "1.0.0", ALICE, 4, false, "better now", 2, T0), s),
            s -> projection.on(new CargoVersionYanked(CHAT, "1.1.0", ACME, ACME, "broken", T0), s));

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE registry_publisher, registry_tier_change, registry_cargo_stream, registry_version, "
                + "registry_job, registry_review").update();
        projection.on(new PublisherRegistered(ACME, "Acme", "a2V5", PublisherTier.COMMUNITY, T0), 0);
        projection.on(new PublisherTierChanged(ACME, PublisherTier.COMMUNITY, PublisherTier.CERTIFIED, "reviewed",
                T0), 1);
    }

    @Test
    void countsEachExecutionOfAVersionOnceEvenWhenEventsAreDeliveredTwice() {
        for (int i = 0; i < chat.size(); i++) {
            chat.get(i).accept((long) i);
            chat.get(i).accept((long) i);
        }

        VersionView version = registry.find(CHAT.value(), "1.0.0").orElseThrow();
        assertThat(version.executions()).isEqualTo(2);
        assertThat(version.successes()).isEqualTo(1);
        assertThat(version.failures()).isEqualTo(1);
        assertThat(version.successRate()).isEqualTo(0.5);
        assertThat(version.units()).isEqualTo(7);
        assertThat(version.royaltiesMicroCredits()).isEqualTo(210);
        assertThat(version.ratings()).as("an edit replaces the review").isEqualTo(1);
        assertThat(version.averageRating()).isEqualTo(4.0);
        assertThat(version.complaints()).isZero();
        assertThat(version.reputation()).isEqualTo(CargoReputation.score(1, 1, 0, 0, 1, 4));
        assertThat(version.publisherTier()).isEqualTo("CERTIFIED");
        assertThat(registry.find(CHAT.value(), "1.1.0").orElseThrow().status()).isEqualTo("YANKED");
        assertThat(registry.publisher("acme").orElseThrow().tierMoves()).singleElement()
                .satisfies(move -> assertThat(move.reason()).isEqualTo("reviewed"));
    }

    @Test
    void searchesByTypeRuntimeTierResourcesAndLeavesYankedVersionsOut() {
        chat.forEach(step -> step.accept((long) chat.indexOf(step)));
        projection.on(published(IMAGES, "0.1.0", "container", 4_096, CargoUnit.IMAGE), 0);

        assertThat(names(search("llm.chat", null, null, null))).containsExactly("llm.chat.llama3-8b@1.0.0");
        assertThat(names(search("llm", null, null, null))).as("a prefix of dotted segments")
                .containsExactly("llm.chat.llama3-8b@1.0.0");
        assertThat(names(search(null, "container", "certified", 4_096L))).containsExactly("img.gen.sdxl@0.1.0");
        assertThat(names(search(null, "process", null, null))).as("yanked").isEmpty();
        assertThat(names(registry.search(new RegistryViews.Search(null, "process", null, null, null, null, null,
                null, null, true)))).containsExactly("llm.chat.llama3-8b@1.1.0");
        assertThat(names(registry.search(new RegistryViews.Search(null, null, null, null, 20L, null, null, null,
                null, false)))).as("royalty above 20").isEmpty();
        assertThat(names(registry.search(new RegistryViews.Search(null, null, null, null, null, null, null, null,
                "q4_k_m", false)))).hasSize(2);
    }

    private List<VersionView> search(String type, String runtime, String tier, Long ram) {
        return registry.search(new RegistryViews.Search(type, runtime, tier, null, null, ram, null, null, null,
                false));
    }

    private static List<String> names(List<VersionView> views) {
        return views.stream().map(view -> view.cargo() + "@" + view.version()).sorted().toList();
    }

    private static CargoVersionPublished published(CargoType cargo, String version, String runtime, long ram,
                                                   CargoUnit unit) {
        VersionManifest manifest = new VersionManifest(unit, runtime, new CargoResources(ram, 0, 2),
                List.of("q4_k_m"), "MIT", PricePerUnit.of(30));
        return new CargoVersionPublished(cargo, version, ACME, new CargoImage("registry.example/acme/" + runtime,
                "sha256:" + "ab".repeat(32)), manifest, SIGNATURE, "a2V5", T0);
    }

    private static JobVersionAssigned assigned(String job, String version) {
        return new JobVersionAssigned(CHAT, new JobId(job), version, ACME,
                new CargoImage("registry.example/acme/container", "sha256:" + "ab".repeat(32)), PricePerUnit.of(30),
                T0);
    }

    private static JobCompleted completed(String job, long units) {
        MicroCredits charged = PRICE.charge(units);
        return new JobCompleted(CHAT, new JobId(job), ALICE, new IslandId("island-a"), new AccountId("host"), ACME,
                units, PRICE, charged, PRICE.hostEarnings(units), PRICE.royalties(units), PRICE.fees(units),
                MicroCredits.of(10_000).minus(charged), T0);
    }
}
