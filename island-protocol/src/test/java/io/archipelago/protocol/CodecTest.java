package io.archipelago.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CodecTest {

    /** An offer of a job on a versioned Cargo type, as the bridge writes it. */
    static JobOffer versionedOffer() {
        Base64.Encoder base64 = Base64.getEncoder();
        return new JobOffer(Codec.VERSION, "job-1", "llm.chat.demo",
                Codec.json().createObjectNode().put("prompt", "hello"), 100, 1_700_000_000_000L,
                new OfferedVersion(OfferedVersion.VERSION, "1.2.0", "registry.example/cargos/echo",
                        "sha256:" + "ab".repeat(32), base64.encodeToString(bytes("{\"critical\":{}}")),
                        base64.encodeToString(new byte[] {0x30, 0x45}),
                        base64.encodeToString(new byte[] {0x30, 0x59})));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsBackWhatItWrites() throws RejectedMessage {
        JobOffer offer = new JobOffer(Codec.VERSION, "job-1", "llm.chat.demo",
                Codec.json().createObjectNode().put("prompt", "hello"), 100, 1_700_000_000_000L);

        assertThat(Codec.decode(Codec.encode(offer), JobOffer.class)).isEqualTo(offer);
        assertThat(Codec.decode(Codec.encode(JobOutput.chunk("job-1", 3, "tok")), JobOutput.class))
                .isEqualTo(JobOutput.chunk("job-1", 3, "tok"));
    }

    @Test
    void readsBackAVersionedOfferAndAnOfferWithoutTheField() throws RejectedMessage {
        JobOffer versioned = versionedOffer();
        assertThat(Codec.decode(Codec.encode(versioned), JobOffer.class)).isEqualTo(versioned);

        // as a coordinator from before versions were offered writes it
        JobOffer old = Codec.decode(bytes("{\"v\":1,\"jobId\":\"job-1\",\"cargo\":\"llm.chat.demo\","
                + "\"input\":{\"prompt\":\"hello\"},\"maxUnits\":100,\"deadlineEpochMillis\":1700000000000}"),
                JobOffer.class);
        assertThat(old.version()).isNull();
        assertThat(old).isEqualTo(new JobOffer(Codec.VERSION, "job-1", "llm.chat.demo",
                Codec.json().createObjectNode().put("prompt", "hello"), 100, 1_700_000_000_000L));
    }

    @Test
    void readsBackAReportedMemoryAndAReplyWithoutIt() throws RejectedMessage {
        ProbeReply reported = new ProbeReply(Codec.VERSION, "island-1", 7, 2, 16_384L);
        assertThat(Codec.decode(Codec.encode(reported), ProbeReply.class)).isEqualTo(reported);

        // as an agent from before memory was reported writes it
        ProbeReply old = Codec.decode(bytes("{\"v\":1,\"islandId\":\"island-1\",\"nonce\":7,\"runningJobs\":2}"),
                ProbeReply.class);
        assertThat(old.memoryMib()).isNull();
        assertThat(old).isEqualTo(new ProbeReply(Codec.VERSION, "island-1", 7, 2));
    }

    @Test
    void refusesAnOfferedVersionOfAnotherVersion() {
        String json = new String(Codec.encode(versionedOffer()), StandardCharsets.UTF_8)
                .replace("\"version\":{\"v\":1,", "\"version\":{\"v\":2,");
        assertThatThrownBy(() -> Codec.decode(bytes(json), JobOffer.class))
                .isInstanceOfSatisfying(RejectedMessage.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectedMessage.Reason.UNKNOWN_VERSION));
    }

    @Test
    void refusesAnUnknownVersion() {
        assertThatThrownBy(() -> Codec.decode(bytes("{\"v\":2,\"islandId\":\"a\",\"nonce\":1,\"runningJobs\":0}"),
                ProbeReply.class))
                .isInstanceOfSatisfying(RejectedMessage.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectedMessage.Reason.UNKNOWN_VERSION));
    }

    @Test
    void refusesWhatIsNotJsonOrMissesFields() {
        for (String json : new String[] {"not json", "[1,2]", "{\"v\":1}", "{\"nonce\":1}",
                "{\"v\":1,\"jobId\":\"j\",\"kind\":\"CHUNK\",\"seq\":0,\"text\":null,\"units\":0,\"error\":null}",
                "{\"v\":1,\"jobId\":\"../etc\",\"kind\":\"DONE\",\"seq\":0,\"text\":null,\"units\":0,\"error\":null}",
                "{\"v\":1,\"jobId\":\"j\",\"kind\":\"DONE\",\"seq\":-1,\"text\":null,\"units\":0,\"error\":null}",
                "{\"v\":1,\"jobId\":\"j\",\"kind\":\"WHAT\",\"seq\":0,\"text\":null,\"units\":0,\"error\":null}"}) {
            assertThatThrownBy(() -> Codec.decode(bytes(json), JobOutput.class))
                    .as(json)
                    .isInstanceOfSatisfying(RejectedMessage.class,
                            rejected -> assertThat(rejected.reason()).isEqualTo(RejectedMessage.Reason.MALFORMED));
        }
    }

    @Test
    void refusesOversizedMessagesBeforeParsingThem() {
        byte[] big = new byte[Codec.MAX_BYTES + 1];

        assertThatThrownBy(() -> Codec.decode(big, JobOutput.class))
                .isInstanceOfSatisfying(RejectedMessage.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectedMessage.Reason.OVERSIZED));
    }

    @Test
    void mapsIdsWithDotsToSubjectTokensOneToOne() {
        assertThat(Subjects.results("eu.island-1", "job.7")).isEqualTo("results.eu~island-1.job~7");
        assertThat(Subjects.islandOfResults("results.eu~island-1.job~7")).isEqualTo("eu.island-1");
        assertThat(Subjects.jobOfResults("results.eu~island-1.job~7")).isEqualTo("job.7");
        assertThat(Subjects.islandOfResults("island.a.jobs")).isNull();
        assertThatThrownBy(() -> Subjects.jobs("a>b")).isInstanceOf(IllegalArgumentException.class);
    }
}
