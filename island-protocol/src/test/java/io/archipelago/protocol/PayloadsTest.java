package io.archipelago.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadsTest {

    static final String SHA = "a".repeat(64);

    static List<JobOutput> samples() {
        return List.of(
                JobOutput.chunk("job-1", 0, "tok"),
                JobOutput.chunk("job-1", 1, Payloads.Progress.of(3, 10, "denoising")),
                JobOutput.chunk("job-1", 2, Payloads.Artifact.of(
                        new ArtifactReference("https://artifacts.example/a", "image/png", 42, SHA))),
                JobOutput.chunk("job-1", 3, Payloads.Embedding.of(1, new float[] {0.5f, -1.25f})),
                JobOutput.chunk("job-1", 4, Payloads.Tensor.of(Payloads.Dtype.float16, List.of(2L, 3L), new byte[12])),
                JobOutput.chunk("job-1", 5, new Payloads.Sealed(1, "key-1", "ZW5j", "c2VjcmV0")),
                JobOutput.chunk("job-1", 6, Payloads.Usage.of(2)),
                JobOutput.chunk("job-1", 6, Payloads.ArtifactPart.of(SHA, 0, new byte[] {1, 2, 3})),
                JobOutput.chunk("job-1", 6, Payloads.Artifact.partial(InlineArtifacts.reference(3, SHA, "image/png"),
                        1)),
                new JobOutput(1, "job-1", JobOutput.Kind.DONE, 7, null, 2, null, Payloads.Usage.of(2)),
                JobOutput.done("job-1", 7, 2),
                JobOutput.error("job-1", "out of memory"));
    }

    static List<String> malformed() {
        String chunk = "{\"v\":1,\"jobId\":\"j\",\"kind\":\"CHUNK\",\"seq\":0,\"units\":0,\"payload\":";
        return List.of(
                chunk + "{\"type\":\"progress\",\"v\":1,\"value\":11,\"max\":10}}",
                chunk + "{\"type\":\"progress\",\"v\":1,\"value\":-1,\"max\":10}}",
                chunk + "{\"type\":\"progress\",\"v\":1,\"value\":1,\"max\":\"10\"}}",
                chunk + "{\"type\":\"tensor\",\"v\":1,\"dtype\":\"float32\",\"shape\":[2,3],\"data\":\"AAAA\"}}",
                chunk + "{\"type\":\"tensor\",\"v\":1,\"dtype\":\"float7\",\"shape\":[1],\"data\":\"AAAA\"}}",
                chunk + "{\"type\":\"tensor\",\"v\":1,\"dtype\":\"uint8\",\"shape\":[-3],\"data\":\"\"}}",
                chunk + "{\"type\":\"embedding\",\"v\":1,\"index\":0,\"vector\":[]}}",
                chunk + "{\"type\":\"embedding\",\"v\":1,\"index\":-1,\"vector\":[1]}}",
                chunk + "{\"type\":\"embedding\",\"v\":1,\"index\":0,\"vector\":[\"x\"]}}",
                chunk + "{\"type\":\"artifact\",\"v\":1,\"ref\":{\"location\":\"https://a/b\","
                        + "\"contentType\":\"image/png\",\"sizeBytes\":1,\"sha256\":\"XYZ\"}}}",
                chunk + "{\"type\":\"artifact\",\"v\":1,\"ref\":{\"location\":\"https://a/b\","
                        + "\"contentType\":\"image/png\",\"sizeBytes\":-1,\"sha256\":\"" + SHA + "\"}}}",
                chunk + "{\"type\":\"sealed\",\"v\":1,\"keyId\":\"k\",\"ciphertext\":\"not base64!\"}}",
                chunk + "{\"type\":\"sealed\",\"v\":1,\"keyId\":\"k\",\"ciphertext\":\"\"}}",
                chunk + "{\"type\":\"usage\",\"v\":1,\"units\":-5}}",
                chunk + "{\"type\":\"artifact\",\"v\":1,\"partial\":-1,\"ref\":{\"location\":\"https://a/b\","
                        + "\"contentType\":\"image/png\",\"sizeBytes\":1,\"sha256\":\"" + SHA + "\"}}}",
                chunk + "{\"type\":\"artifact_part\",\"v\":1,\"sha256\":\"XYZ\",\"offset\":0,\"data\":\"AAAA\"}}",
                chunk + "{\"type\":\"artifact_part\",\"v\":1,\"sha256\":\"" + SHA + "\",\"offset\":0,\"data\":\"\"}}",
                chunk + "{\"type\":\"what\",\"v\":1}}",
                chunk + "{\"type\":\"text\",\"v\":1,\"delta\":\"travels as text\"}}",
                chunk + "{\"type\":\"usage\",\"v\":1,\"units\":1},\"text\":\"both\"}",
                "{\"v\":1,\"jobId\":\"j\",\"kind\":\"DONE\",\"seq\":0,\"units\":3,\"payload\":"
                        + "{\"type\":\"usage\",\"v\":1,\"units\":2}}",
                "{\"v\":1,\"jobId\":\"j\",\"kind\":\"ERROR\",\"seq\":0,\"units\":0,\"error\":\"e\",\"payload\":"
                        + "{\"type\":\"usage\",\"v\":1,\"units\":2}}");
    }

    @Test
    void readsBackEveryPayloadItWrites() throws RejectedMessage {
        for (JobOutput output : samples()) {
            assertThat(Codec.decode(Codec.encode(output), JobOutput.class)).as(output.toString()).isEqualTo(output);
        }
    }

    @Test
    void writesATextChunkAsVersionOneAlwaysDid() {
        assertThat(new String(Codec.encode(JobOutput.chunk("j", 0, Payloads.TextDelta.of("hi"))),
                StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"jobId\":\"j\",\"kind\":\"CHUNK\",\"seq\":0,\"text\":\"hi\",\"units\":0,"
                        + "\"error\":null}");
        assertThat(JobOutput.chunk("j", 0, "hi").body()).isEqualTo(Payloads.TextDelta.of("hi"));
    }

    @Test
    void refusesMalformedPayloadsAsRejectedMessages() {
        for (String json : malformed()) {
            assertThatThrownBy(() -> Codec.decode(json.getBytes(StandardCharsets.UTF_8), JobOutput.class))
                    .as(json)
                    .isInstanceOfSatisfying(RejectedMessage.class,
                            rejected -> assertThat(rejected.reason()).isEqualTo(RejectedMessage.Reason.MALFORMED));
        }
    }

    @Test
    void refusesAnUnknownPayloadVersion() {
        String json = "{\"v\":1,\"jobId\":\"j\",\"kind\":\"CHUNK\",\"seq\":0,\"units\":0,\"payload\":"
                + "{\"type\":\"usage\",\"v\":2,\"units\":1}}";

        assertThatThrownBy(() -> Codec.decode(json.getBytes(StandardCharsets.UTF_8), JobOutput.class))
                .isInstanceOfSatisfying(RejectedMessage.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectedMessage.Reason.UNKNOWN_VERSION));
    }

    @Test
    void storesArtifactsByHashAndOpensOnlyTheBytesReferenced(@TempDir Path dir) throws Exception {
        FileArtifactStore store = new FileArtifactStore(dir, 16);
        ArtifactReference ref = store.put("an image".getBytes(StandardCharsets.UTF_8), "image/png");

        assertThat(store.open(ref)).asString(StandardCharsets.UTF_8).isEqualTo("an image");
        assertThat(ref.sizeBytes()).isEqualTo(8);
        assertThatThrownBy(() -> store.put(new byte[17], "image/png")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open(new ArtifactReference("file:///etc/passwd", "text/plain", 8,
                ref.sha256()))).isInstanceOf(java.io.IOException.class);
        Files.write(Path.of(java.net.URI.create(ref.location())), "tampered".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.open(ref)).isInstanceOf(java.io.IOException.class);
    }
}
