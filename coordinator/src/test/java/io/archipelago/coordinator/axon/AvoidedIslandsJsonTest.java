package io.archipelago.coordinator.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.Set;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;

/**
 * {@code BidSubmitted} gained the Islands a bid avoids; events stored before that have no such field and must read
 * as avoiding none, so a market rebuilt from an old store places its resting bids as it did.
 */
class AvoidedIslandsJsonTest {

    private static final Serializer SERIALIZER = EventStoreConfiguration.jackson();
    private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void aBidSubmittedStoredBeforeIslandsCouldBeAvoidedReadsAsAvoidingNone() throws Exception {
        SerializedObject<byte[]> current = SERIALIZER.serialize(submitted(Set.of(new IslandId("island-a"))),
                byte[].class);
        ObjectMapper json = new ObjectMapper();
        ObjectNode stored = (ObjectNode) json.readTree(current.getData());
        assertThat(stored.remove("avoid")).isNotNull();
        SerializedObject<byte[]> old = new SimpleSerializedObject<>(json.writeValueAsBytes(stored), byte[].class,
                current.getType());

        BidSubmitted read = SERIALIZER.deserialize(old);

        assertThat(read).isEqualTo(submitted(Set.of()));
        assertThat(read.avoid()).isEmpty();
    }

    @Test
    void theIslandsABidAvoidsAreStoredAndReadInOrder() throws Exception {
        BidSubmitted bid = submitted(Set.of(new IslandId("island-b"), new IslandId("island-a")));
        SerializedObject<byte[]> stored = SERIALIZER.serialize(bid, byte[].class);

        assertThat(new ObjectMapper().readTree(stored.getData()).path("avoid").toString())
                .isEqualTo("[{\"value\":\"island-a\"},{\"value\":\"island-b\"}]");
        assertThat(SERIALIZER.<byte[], BidSubmitted>deserialize(stored).avoid())
                .containsExactly(new IslandId("island-a"), new IslandId("island-b"));
    }

    private static BidSubmitted submitted(Set<IslandId> avoid) {
        return new BidSubmitted(new CargoType("llm.chat.demo"), new JobId("job-1"), new AccountId("alice"),
                PricePerUnit.of(5_000), 10, JurisdictionPolicy.eu(), Karma.NONE, Long.MAX_VALUE, false,
                MicroCredits.of(50_000), AT.plusSeconds(60), AT, avoid);
    }
}
