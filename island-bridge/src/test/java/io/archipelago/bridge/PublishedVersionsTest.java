package io.archipelago.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoSignature;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.protocol.OfferedVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedVersionsTest {

    private static final CargoType VERSIONED = new CargoType("llm.chat.versioned");
    private static final CargoType PLAIN = new CargoType("llm.chat.plain");
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final AccountId ACME = new AccountId("acme");
    private static final CargoImage IMAGE = new CargoImage("registry.example/acme/echo", "sha256:" + "ab".repeat(32));

    private static JobPlaced placed(CargoType cargo, String jobId) {
        return new JobPlaced(cargo, new JobId(jobId), new AccountId("consumer"), new IslandId("island-1"),
                new AccountId("host"), new UnitPrice(PricePerUnit.of(10), PricePerUnit.of(1), PricePerUnit.of(1)),
                100, Karma.INITIAL, T0);
    }

    private static CargoVersionPublished published(String version) {
        return new CargoVersionPublished(VERSIONED, version, ACME, IMAGE, new VersionManifest(
                CargoUnit.THOUSAND_TOKENS, "container", new CargoResources(256, 0, 1), List.of(), "Apache-2.0",
                PricePerUnit.of(10)), new CargoSignature("eyJhIjoxfQ==", "MEUCIQ=="), "MFkwEw==", T0);
    }

    private static JobVersionAssigned assigned(String jobId, String version) {
        return new JobVersionAssigned(VERSIONED, new JobId(jobId), version, ACME, IMAGE, PricePerUnit.of(10), T0);
    }

    @Test
    void holdsAPlacementOnAVersionedCargoTypeUntilItsVersionAndOffersThatVersion() {
        PublishedVersions versions = new PublishedVersions();
        versions.published(published("1.0.0"));
        versions.published(published("2.0.0"));
        JobPlaced job = placed(VERSIONED, "job-1");

        assertThat(versions.holds(job)).isTrue();
        assertThat(versions.release(assigned("job-1", "2.0.0"))).isEqualTo(job);
        assertThat(versions.offered(assigned("job-1", "2.0.0"))).isEqualTo(new OfferedVersion(OfferedVersion.VERSION,
                "2.0.0", IMAGE.repository(), IMAGE.digest(), "eyJhIjoxfQ==", "MEUCIQ==", "MFkwEw=="));
        assertThat(versions.release(assigned("job-1", "2.0.0"))).as("released once").isNull();
    }

    @Test
    void dispatchesAPlacementOnAnUnversionedCargoTypeAtOnce() {
        PublishedVersions versions = new PublishedVersions();
        versions.published(published("1.0.0"));

        assertThat(versions.holds(placed(PLAIN, "job-2"))).isFalse();
        assertThat(versions.release(assigned("job-2", "1.0.0"))).isNull();
        assertThat(versions.offered(assigned("job-2", "9.9.9"))).isNull();
    }
}
