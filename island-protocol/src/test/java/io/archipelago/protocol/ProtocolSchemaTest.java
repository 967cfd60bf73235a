package io.archipelago.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Holds the Java records to island-protocol.schema.json: what Codec writes validates, what it refuses is refused. */
class ProtocolSchemaTest {

    private static final ObjectNode DOCUMENT = load();

    private static ObjectNode load() {
        try (InputStream in = ProtocolSchemaTest.class.getResourceAsStream("/island-protocol.schema.json")) {
            return (ObjectNode) Codec.json().readTree(in);
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    /** The schema of one $defs entry, with the whole document around it so its references resolve. */
    private static Schema schema(String name) {
        ObjectNode root = DOCUMENT.deepCopy();
        root.put("$ref", "#/$defs/" + name);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
    }

    private static JsonNode tree(byte[] json) throws IOException {
        return Codec.json().readTree(json);
    }

    @Test
    void everyMessageCodecWritesValidates() throws IOException {
        List<Message> messages = List.of(
                new JobOffer(Codec.VERSION, "job-1", "llm.chat.demo",
                        Codec.json().createObjectNode().put("prompt", "hello"), 100, 1_700_000_000_000L),
                CodecTest.versionedOffer(),
                JobAccepted.yes("job-1"), JobAccepted.no("job-1", "every slot is busy"),
                new JobCancel(Codec.VERSION, "job-1", "deadline passed"),
                new Probe(Codec.VERSION, 7), new ProbeReply(Codec.VERSION, "island-1", 7, 2),
                new ProbeReply(Codec.VERSION, "island-1", 7, 2, 16_384L),
                new JobOffer(Codec.VERSION, "job-1", "embeddings.minilm.pipeline", Codec.json().createObjectNode(),
                        10, 1_700_000_000_000L, null, new StageOffer(StageOffer.VERSION, 1, 3, 2, 4, 5, "island-a",
                        "island-c")),
                new PeerProbe(Codec.VERSION, "island-2", 5),
                new PeerProbeReply(Codec.VERSION, "island-1", "island-2", 640, 5));
        for (Message message : messages) {
            byte[] json = Codec.encode(message);
            assertThat(schema(message.getClass().getSimpleName()).validate(tree(json)))
                    .as(new String(json, StandardCharsets.UTF_8)).isEmpty();
        }
        for (JobOutput output : PayloadsTest.samples()) {
            byte[] json = Codec.encode(output);
            assertThat(schema("JobOutput").validate(tree(json))).as(new String(json, StandardCharsets.UTF_8))
                    .isEmpty();
        }
        JsonNode session = Codec.json().valueToTree(new IslandSession("island-1", "nats://127.0.0.1:4222", null));
        assertThat(schema("IslandSession").validate(session)).isEmpty();
    }

    @Test
    void whatTheSchemaCanStateItRefusesAsCodecDoes() throws IOException {
        List<String> refused = PayloadsTest.malformed().stream()
                // Rules beyond JSON Schema (value <= max, shape x dtype = data length, usage = units) only Codec
                // checks; the schema's descriptions state them.
                .filter(json -> !json.contains("\"value\":11") && !json.contains("\"shape\":[2,3]")
                        && !json.contains("\"units\":3,"))
                .toList();
        assertThat(refused).hasSizeGreaterThan(10);
        for (String json : refused) {
            assertThat(schema("JobOutput").validate(tree(json.getBytes(StandardCharsets.UTF_8)))).as(json)
                    .isNotEmpty();
            assertThatThrownBy(() -> Codec.decode(json.getBytes(StandardCharsets.UTF_8), JobOutput.class)).as(json)
                    .isInstanceOf(RejectedMessage.class);
        }
        String[][] badVersions = {{"v", "2"}, {"digest", "\"sha256:AB\""}, {"signature", "\"not base64!\""},
            {"publisherKey", "\"\""}, {"name", "\"-leading-dash\""}};
        for (String[] bad : badVersions) {
            ObjectNode offer = (ObjectNode) tree(Codec.encode(CodecTest.versionedOffer()));
            ((ObjectNode) offer.get("version")).set(bad[0], Codec.json().readTree(bad[1]));
            byte[] json = Codec.json().writeValueAsBytes(offer);
            assertThat(schema("JobOffer").validate(offer)).as(offer.toString()).isNotEmpty();
            assertThatThrownBy(() -> Codec.decode(json, JobOffer.class)).as(offer.toString())
                    .isInstanceOf(RejectedMessage.class);
        }
        for (String memory : new String[] {"-1", "4194305", "\"16384\""}) {
            String json = "{\"v\":1,\"islandId\":\"island-1\",\"nonce\":7,\"runningJobs\":0,\"memoryMib\":"
                    + memory + "}";
            assertThat(schema("ProbeReply").validate(tree(json.getBytes(StandardCharsets.UTF_8)))).as(json)
                    .isNotEmpty();
            assertThatThrownBy(() -> Codec.decode(json.getBytes(StandardCharsets.UTF_8), ProbeReply.class)).as(json)
                    .isInstanceOf(RejectedMessage.class);
        }
        for (String json : new String[] {"{\"v\":1,\"nonce\":\"7\"}", "{\"v\":2,\"nonce\":7}", "{\"v\":1}"}) {
            assertThat(schema("Probe").validate(tree(json.getBytes(StandardCharsets.UTF_8)))).as(json).isNotEmpty();
            assertThatThrownBy(() -> Codec.decode(json.getBytes(StandardCharsets.UTF_8), Probe.class)).as(json)
                    .isInstanceOf(RejectedMessage.class);
        }
    }
}
