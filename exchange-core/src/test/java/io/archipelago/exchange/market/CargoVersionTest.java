package io.archipelago.exchange.market;

import static java.time.temporal.ChronoUnit.DAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.fixtures.ProtocolCargoSignatures;
import io.archipelago.exchange.fixtures.Signer;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoSignature;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CargoVersionDeprecated;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.CargoVersionReviewed;
import io.archipelago.exchange.market.api.CargoVersionSelected;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.DeprecateCargoVersion;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PublishCargoVersion;
import io.archipelago.exchange.market.api.ReviewCargoVersion;
import io.archipelago.exchange.market.api.SelectCargoVersion;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.market.api.YankCargoVersion;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.exchange.publisher.Publisher;
import io.archipelago.exchange.publisher.RepositoryPublishers;
import io.archipelago.exchange.publisher.api.KeyId;
import io.archipelago.exchange.publisher.api.PublisherKeyRotated;
import io.archipelago.exchange.publisher.api.PublisherRegistered;
import io.archipelago.exchange.publisher.api.PublisherTier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cargo versions on their market through Axon's fixture: publication verified against the publisher's registered
 * key (with the protocol's cosign code), deprecation and yanking, and the royalty of each execution paid to the
 * publisher of the version it ran.
 */
class CargoVersionTest {

    private static final CargoType CARGO = new CargoType("llm.chat.llama3-8b");
    private static final AccountId OPERATOR_PUBLISHER = new AccountId("publisher");
    private static final PricePerUnit REGISTERED_ROYALTY = PricePerUnit.of(100);
    private static final AccountId ACME = new AccountId("acme");
    private static final AccountId ALICE = new AccountId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant EARLIER = T0.minusSeconds(3_600);
    private static final CargoImage IMAGE = new CargoImage("registry.example/acme/llama3-8b",
            "sha256:4e388ab32b10dc8dbc7e28144f552830adc74787c1e2c0824032078a79f227fb");
    private static final CargoImage IMAGE_2 = new CargoImage("registry.example/acme/llama3-8b",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    private static final VersionManifest MANIFEST = new VersionManifest(CargoUnit.THOUSAND_TOKENS, "container",
            new CargoResources(8_192, 6_144, 4), List.of("q4_k_m", "fp16"), "Apache-2.0", PricePerUnit.of(300));
    private static final IslandId ISLAND = new IslandId("island-a");
    private static final AccountId HOST = new AccountId("host-a");
    private static final IslandConditions CONDITIONS = new IslandConditions(Country.of("DE"), 4,
            AvailabilitySchedule.ALWAYS, false, true, 20_000, Karma.INITIAL);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);
    private final AggregateStore<Island> islands = AggregateStore.of(Island.class);
    private final AggregateStore<Publisher> publishers = AggregateStore.of(Publisher.class);
    private final Signer acme = Signer.generate();

    @BeforeEach
    void wirePorts() {
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        fixture.registerInjectableResource(new RepositoryIslands(islands::repository,
                new RepositoryMarkets(fixture::getRepository)));
        fixture.registerInjectableResource(new RepositoryPublishers(publishers::repository));
        fixture.registerInjectableResource(new ProtocolCargoSignatures());
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0.minus(1, DAYS)),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.credits(100), T0.minus(1, DAYS)));
        publishers.seed(ACME.value(), new PublisherRegistered(ACME, "Acme", acme.spki(), PublisherTier.COMMUNITY,
                EARLIER));
        islands.seed(ISLAND.value(), new IslandRegistered(ISLAND, HOST, CONDITIONS.country(), Set.of(CARGO), 4,
                        AvailabilitySchedule.ALWAYS, false, Karma.INITIAL, EARLIER),
                new IslandWentOnline(ISLAND, EARLIER), new IslandRttMeasured(ISLAND, 20_000, EARLIER));
    }

    @Test
    void publishesAVersionSignedWithItsPublishersKey() {
        CargoSignature signature = acme.sign(IMAGE);

        fixture.given(registered())
                .when(new PublishCargoVersion(CARGO, "1.0.0", ACME, IMAGE, MANIFEST, signature, T0))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CargoVersionPublished(CARGO, "1.0.0", ACME, IMAGE, MANIFEST, signature,
                        acme.spki(), T0, KeyId.of(acme.spki())));
    }

    @Test
    void refusesAVersionSignedWithAnotherKey() {
        fixture.given(registered())
                .when(new PublishCargoVersion(CARGO, "1.0.0", ACME, IMAGE, MANIFEST, Signer.generate().sign(IMAGE),
                        T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("publisher's key"))
                .expectNoEvents();
    }

    @Test
    void refusesASignatureOverAnotherDigest() {
        fixture.given(registered())
                .when(new PublishCargoVersion(CARGO, "1.0.0", ACME, IMAGE, MANIFEST, acme.sign(IMAGE_2), T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("names digest"))
                .expectNoEvents();
    }

    @Test
    void refusesAnAccountWithoutPublisherProfile() {
        Signer stranger = Signer.generate();
        fixture.given(registered())
                .when(new PublishCargoVersion(CARGO, "1.0.0", new AccountId("stranger"), IMAGE, MANIFEST,
                        stranger.sign(IMAGE), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAManifestPricedInAnotherUnitAndARepublishedVersion() {
        VersionManifest perImage = new VersionManifest(CargoUnit.IMAGE, "container", MANIFEST.resources(),
                List.of(), "MIT", PricePerUnit.of(300));
        fixture.given(registered())
                .when(new PublishCargoVersion(CARGO, "1.0.0", ACME, IMAGE, perImage, acme.sign(IMAGE), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new PublishCargoVersion(CARGO, "1.0.0", ACME, IMAGE_2, MANIFEST, acme.sign(IMAGE_2), T0))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void placesANewJobOnTheNewestVersionAtItsRoyalty() {
        UnitPrice price = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);

        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2), ask())
                .when(bid("job-1"))
                .expectResultMessagePayload(BidOutcome.placed(new JobId("job-1"), ISLAND))
                .expectEvents(submitted("job-1"),
                        new JobPlaced(CARGO, new JobId("job-1"), ALICE, ISLAND, HOST, price, 20_000, Karma.INITIAL,
                                T0),
                        new JobVersionAssigned(CARGO, new JobId("job-1"), "1.1.0", ACME, IMAGE_2,
                                MANIFEST.royalty(), T0));
    }

    @Test
    void paysTheRoyaltyOfAnExecutionToThePublisherOfTheVersionItRan() {
        JobId job = new JobId("job-1");
        UnitPrice price = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);
        accounts.seed(ALICE.value(), new CreditsReserved(ALICE, job, MicroCredits.of(1_200_000), T0));

        fixture.given(registered(), published("1.0.0", IMAGE), ask(), submitted("job-1"),
                        new JobPlaced(CARGO, job, ALICE, ISLAND, HOST, price, 20_000, Karma.INITIAL, T0),
                        new JobVersionAssigned(CARGO, job, "1.0.0", ACME, IMAGE, MANIFEST.royalty(), T0))
                .when(new CompleteJob(CARGO, job, 10, T0.plusSeconds(5)))
                .expectSuccessfulHandlerExecution();

        JobCompleted completed = (JobCompleted) fixture.getEventStore().readEvents("llm.chat.llama3-8b")
                .asStream().map(message -> message.getPayload()).filter(JobCompleted.class::isInstance)
                .reduce((first, second) -> second).orElseThrow();
        assertThat(completed.publisher()).isEqualTo(ACME);
        assertThat(completed.royalty()).isEqualTo(MicroCredits.of(3_000));
        assertThat(accounts.appended(EarningsCredited.class))
                .filteredOn(earned -> earned.kind() == EarningsKind.ROYALTY)
                .containsExactly(new EarningsCredited(ACME, job, EarningsKind.ROYALTY, MicroCredits.of(3_000),
                        T0.plusSeconds(5)));
    }

    @Test
    void neverPlacesAJobOnceEveryVersionIsYanked() {
        fixture.given(registered(), published("1.0.0", IMAGE),
                        new CargoVersionYanked(CARGO, "1.0.0", ACME, ACME, "leaks prompts", EARLIER), ask())
                .when(bid("job-1"))
                .expectResultMessagePayload(BidOutcome.resting(new JobId("job-1")))
                .expectEvents(submitted("job-1"));
    }

    @Test
    void fallsBackToTheNewestDeprecatedVersionWhenNoActiveOneIsLeft() {
        UnitPrice price = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);

        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2),
                        new CargoVersionDeprecated(CARGO, "1.0.0", ACME, "superseded", EARLIER), ask())
                .when(new YankCargoVersion(CARGO, "1.1.0", ACME, "broken tokenizer", T0))
                .expectEvents(new CargoVersionYanked(CARGO, "1.1.0", ACME, ACME, "broken tokenizer", T0));
        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2),
                        new CargoVersionDeprecated(CARGO, "1.0.0", ACME, "superseded", EARLIER),
                        new CargoVersionYanked(CARGO, "1.1.0", ACME, ACME, "broken tokenizer", EARLIER), ask())
                .when(bid("job-1"))
                .expectEvents(submitted("job-1"),
                        new JobPlaced(CARGO, new JobId("job-1"), ALICE, ISLAND, HOST, price, 20_000, Karma.INITIAL,
                                T0),
                        new JobVersionAssigned(CARGO, new JobId("job-1"), "1.0.0", ACME, IMAGE,
                                MANIFEST.royalty(), T0));
    }

    @Test
    void placesRestingBidsWhenANewVersionFollowsAYank() {
        fixture.given(registered(), published("1.0.0", IMAGE),
                        new CargoVersionYanked(CARGO, "1.0.0", ACME, ACME, "leaks prompts", EARLIER), ask(),
                        submitted("job-1"))
                .when(new PublishCargoVersion(CARGO, "1.0.1", ACME, IMAGE_2, MANIFEST, acme.sign(IMAGE_2), T0))
                .expectSuccessfulHandlerExecution();
        assertThat(fixture.getEventStore().readEvents("llm.chat.llama3-8b").asStream()
                .map(message -> message.getPayload()).filter(JobVersionAssigned.class::isInstance).count())
                .isEqualTo(1);
    }

    @Test
    void letsOnlyThePublisherOrThePlatformDeprecateOrYank() {
        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new YankCargoVersion(CARGO, "1.0.0", new AccountId("mallory"), "spite", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new YankCargoVersion(CARGO, "1.0.0", AccountId.PLATFORM, "licence violation", T0))
                .expectEvents(new CargoVersionYanked(CARGO, "1.0.0", AccountId.PLATFORM, ACME, "licence violation",
                        T0));
        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new DeprecateCargoVersion(CARGO, "1.0.0", ACME, "", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void yankingTwiceRecordsItOnce() {
        fixture.given(registered(), published("1.0.0", IMAGE),
                        new CargoVersionYanked(CARGO, "1.0.0", ACME, ACME, "leaks prompts", EARLIER))
                .when(new YankCargoVersion(CARGO, "1.0.0", ACME, "leaks prompts", T0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesAReviewFromAnAccountThatNeverRanTheVersion() {
        fixture.given(registered(), published("1.0.0", IMAGE), ask())
                .when(new ReviewCargoVersion(CARGO, "1.0.0", ALICE, 1, true, "never tried it, hate it", T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("no completed job"))
                .expectNoEvents();
    }

    @Test
    void takesAReviewFromAnAccountThatCompletedAJobOnTheVersion() {
        fixture.given(ranByAlice())
                .when(new ReviewCargoVersion(CARGO, "1.0.0", ALICE, 4, false, " fast and right ", T0.plusSeconds(60)))
                .expectEvents(new CargoVersionReviewed(CARGO, "1.0.0", ALICE, 4, false, "fast and right", 1,
                        T0.plusSeconds(60)));
    }

    @Test
    void letsAReviewBeEditedButNotTooOften() {
        List<Object> reviewed = new java.util.ArrayList<>(ranByAlice());
        reviewed.add(new CargoVersionReviewed(CARGO, "1.0.0", ALICE, 4, false, "fast", 1, T0));
        fixture.given(reviewed)
                .when(new ReviewCargoVersion(CARGO, "1.0.0", ALICE, 2, true, "wrong answers", T0.plusSeconds(600)))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
        fixture.given(reviewed)
                .when(new ReviewCargoVersion(CARGO, "1.0.0", ALICE, 2, true, "wrong answers", T0.plusSeconds(7_200)))
                .expectEvents(new CargoVersionReviewed(CARGO, "1.0.0", ALICE, 2, true, "wrong answers", 2,
                        T0.plusSeconds(7_200)));
    }

    @Test
    void refusesAReviewOutOfRangeOrTooLong() {
        fixture.given(ranByAlice())
                .when(new ReviewCargoVersion(CARGO, "1.0.0", ALICE, 6, false, "", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(ranByAlice())
                .when(new ReviewCargoVersion(CARGO, "1.0.0", ALICE, 5, false,
                        "x".repeat(ReviewCargoVersion.MAX_TEXT + 1), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void placesABidPinnedToAVersionOnItAtThatVersionsRoyalty() {
        VersionManifest cheaper = new VersionManifest(CargoUnit.THOUSAND_TOKENS, "container",
                new CargoResources(8_192, 6_144, 4), List.of("q4_k_m"), "Apache-2.0", PricePerUnit.of(50));
        UnitPrice pinned = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);

        fixture.given(registered(), published("1.0.0", IMAGE), new CargoVersionPublished(CARGO, "1.1.0", ACME,
                        IMAGE_2, cheaper, acme.sign(IMAGE_2), acme.spki(), EARLIER), ask())
                .when(pinnedBid("job-1", "1.0.0"))
                .expectResultMessagePayload(BidOutcome.placed(new JobId("job-1"), ISLAND))
                .expectEvents(pinnedSubmitted("job-1", "1.0.0"),
                        new JobPlaced(CARGO, new JobId("job-1"), ALICE, ISLAND, HOST, pinned, 20_000,
                                Karma.INITIAL, T0),
                        new JobVersionAssigned(CARGO, new JobId("job-1"), "1.0.0", ACME, IMAGE,
                                MANIFEST.royalty(), T0));
    }

    @Test
    void judgesAPinnedBidsLimitAtItsOwnVersionsRoyalty() {
        VersionManifest dearer = new VersionManifest(CargoUnit.THOUSAND_TOKENS, "container",
                new CargoResources(8_192, 6_144, 4), List.of("q4_k_m"), "Apache-2.0", PricePerUnit.of(1_900));
        // the ask costs 10,000 + 1,000 fee: 11,300 all-in at 1.0.0's royalty fits the limit of 12,000, 12,900 at
        // 1.1.0's does not
        fixture.given(registered(), published("1.0.0", IMAGE), new CargoVersionPublished(CARGO, "1.1.0", ACME,
                        IMAGE_2, dearer, acme.sign(IMAGE_2), acme.spki(), EARLIER), ask())
                .when(pinnedBid("job-1", "1.1.0"))
                .expectResultMessagePayload(BidOutcome.resting(new JobId("job-1")))
                .expectEvents(pinnedSubmitted("job-1", "1.1.0"));
    }

    @Test
    void refusesAPinToAVersionNeverPublished() {
        fixture.given(registered(), published("1.0.0", IMAGE), ask())
                .when(pinnedBid("job-1", "9.9.9"))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void runsTheRulesVersionForAPinToAYankedOne() {
        UnitPrice price = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);

        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2),
                        new CargoVersionYanked(CARGO, "1.0.0", ACME, ACME, "leaks prompts", EARLIER), ask())
                .when(pinnedBid("job-1", "1.0.0"))
                .expectEvents(pinnedSubmitted("job-1", "1.0.0"),
                        new JobPlaced(CARGO, new JobId("job-1"), ALICE, ISLAND, HOST, price, 20_000, Karma.INITIAL,
                                T0),
                        new JobVersionAssigned(CARGO, new JobId("job-1"), "1.1.0", ACME, IMAGE_2,
                                MANIFEST.royalty(), T0));
    }

    @Test
    void runsTheVersionARolloutSelectedForEveryUnpinnedJob() {
        UnitPrice price = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);

        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2), ask())
                .when(new SelectCargoVersion(CARGO, "1.0.0", "llm.chat.llama3-8b", "1.1.0 rolled back", T0))
                .expectEvents(new CargoVersionSelected(CARGO, "1.0.0", "llm.chat.llama3-8b", "1.1.0 rolled back",
                        T0));
        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2), ask(),
                        new CargoVersionSelected(CARGO, "1.0.0", "llm.chat.llama3-8b", "1.1.0 rolled back",
                                EARLIER))
                .when(bid("job-1"))
                .expectEvents(submitted("job-1"),
                        new JobPlaced(CARGO, new JobId("job-1"), ALICE, ISLAND, HOST, price, 20_000, Karma.INITIAL,
                                T0),
                        new JobVersionAssigned(CARGO, new JobId("job-1"), "1.0.0", ACME, IMAGE,
                                MANIFEST.royalty(), T0));
    }

    @Test
    void aVersionPublishedAfterASelectionRunsAndAnOlderDecisionSelectsNothing() {
        CargoVersionPublished later = new CargoVersionPublished(CARGO, "1.2.0", ACME, IMAGE_2, MANIFEST,
                acme.sign(IMAGE_2), acme.spki(), T0);
        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE),
                        new CargoVersionSelected(CARGO, "1.0.0", "llm.chat.llama3-8b", "kept", EARLIER), later)
                .when(new SelectCargoVersion(CARGO, "1.1.0", "llm.chat.llama3-8b", "promoted", EARLIER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE),
                        new CargoVersionSelected(CARGO, "1.0.0", "llm.chat.llama3-8b", "kept", EARLIER), later, ask())
                .when(bid("job-1"))
                .expectEvents(submitted("job-1"),
                        new JobPlaced(CARGO, new JobId("job-1"), ALICE, ISLAND, HOST,
                                Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL), 20_000,
                                Karma.INITIAL, T0),
                        new JobVersionAssigned(CARGO, new JobId("job-1"), "1.2.0", ACME, IMAGE_2,
                                MANIFEST.royalty(), T0));
    }

    @Test
    void selectsOnlyAnActiveVersionAndOnlyOnce() {
        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2),
                        new CargoVersionDeprecated(CARGO, "1.0.0", ACME, "superseded", EARLIER))
                .when(new SelectCargoVersion(CARGO, "1.0.0", "llm.chat.llama3-8b", "promoted", T0))
                .expectNoEvents();
        fixture.given(registered(), published("1.0.0", IMAGE), published("1.1.0", IMAGE_2),
                        new CargoVersionSelected(CARGO, "1.0.0", "llm.chat.llama3-8b", "kept", EARLIER))
                .when(new SelectCargoVersion(CARGO, "1.0.0", "llm.chat.llama3-8b", "kept again", T0))
                .expectNoEvents();
        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new SelectCargoVersion(CARGO, "2.0.0", "llm.chat.llama3-8b", "promoted", T0))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void takesANewVersionSignedWithTheRotatedKeyAndRefusesOneSignedWithTheRetiredKey() {
        Signer rotated = Signer.generate();
        publishers.seed(ACME.value(), new PublisherKeyRotated(ACME, KeyId.of(rotated.spki()), rotated.spki(),
                KeyId.of(acme.spki()), false, EARLIER));
        CargoSignature signature = rotated.sign(IMAGE_2);

        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new PublishCargoVersion(CARGO, "1.1.0", ACME, IMAGE_2, MANIFEST, acme.sign(IMAGE_2), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered(), published("1.0.0", IMAGE))
                .when(new PublishCargoVersion(CARGO, "1.1.0", ACME, IMAGE_2, MANIFEST, signature, T0))
                .expectEvents(new CargoVersionPublished(CARGO, "1.1.0", ACME, IMAGE_2, MANIFEST, signature,
                        rotated.spki(), T0, KeyId.of(rotated.spki())));
    }

    /** Alice's job ran version 1.0.0 and completed. */
    private List<Object> ranByAlice() {
        JobId job = new JobId("job-1");
        UnitPrice price = Pricing.quote(PricePerUnit.of(10_000), MANIFEST.royalty(), Karma.INITIAL);
        MicroCredits charged = price.charge(10);
        return List.of(registered(), published("1.0.0", IMAGE), ask(), submitted("job-1"),
                new JobPlaced(CARGO, job, ALICE, ISLAND, HOST, price, 20_000, Karma.INITIAL, EARLIER),
                new JobVersionAssigned(CARGO, job, "1.0.0", ACME, IMAGE, MANIFEST.royalty(), EARLIER),
                new JobCompleted(CARGO, job, ALICE, ISLAND, HOST, ACME, 10, price, charged, price.hostEarnings(10),
                        price.royalties(10), price.fees(10), PricePerUnit.of(12_000).times(100).minus(charged),
                        EARLIER));
    }

    private static CargoRegistered registered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, OPERATOR_PUBLISHER, REGISTERED_ROYALTY,
                T0.minus(1, DAYS));
    }

    private CargoVersionPublished published(String version, CargoImage image) {
        return new CargoVersionPublished(CARGO, version, ACME, image, MANIFEST, acme.sign(image), acme.spki(),
                EARLIER);
    }

    private static AskPlaced ask() {
        return new AskPlaced(CARGO, ISLAND, HOST, PricePerUnit.of(10_000), CONDITIONS, EARLIER);
    }

    private static SubmitBid bid(String job) {
        return new SubmitBid(CARGO, new JobId(job), ALICE, PricePerUnit.of(12_000), 100, JurisdictionPolicy.eu(),
                null, null, false, Duration.ofMinutes(10), T0);
    }

    private static SubmitBid pinnedBid(String job, String version) {
        return new SubmitBid(CARGO, new JobId(job), ALICE, PricePerUnit.of(12_000), 100, JurisdictionPolicy.eu(),
                null, null, false, Duration.ofMinutes(10), T0, Set.of(), version);
    }

    private static BidSubmitted pinnedSubmitted(String job, String version) {
        return new BidSubmitted(CARGO, new JobId(job), ALICE, PricePerUnit.of(12_000), 100, JurisdictionPolicy.eu(),
                Karma.NONE, Long.MAX_VALUE, false, PricePerUnit.of(12_000).times(100), T0.plus(Duration.ofMinutes(10)),
                T0, Set.of(), version);
    }

    private static BidSubmitted submitted(String job) {
        return new BidSubmitted(CARGO, new JobId(job), ALICE, PricePerUnit.of(12_000), 100, JurisdictionPolicy.eu(),
                Karma.NONE, Long.MAX_VALUE, false, PricePerUnit.of(12_000).times(100), T0.plus(Duration.ofMinutes(10)),
                T0);
    }
}
