package io.archipelago.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Whatever bytes a rogue Island publishes, the codec gives a message of the type asked for or refuses them with
 * {@link RejectedMessage}: never another exception, and a message it accepts encodes again into bytes it accepts. In
 * every build the stored inputs run (regression mode); {@code scripts/fuzz.sh} fuzzes for longer.
 */
class CodecFuzzTest {

    private static final List<Class<? extends Message>> TYPES = List.of(JobOffer.class, JobAccepted.class,
            JobCancel.class, JobOutput.class, Probe.class, ProbeReply.class);

    @FuzzTest(maxDuration = "30s")
    void anyBytesAreAMessageOrRefused(byte[] bytes) {
        for (Class<? extends Message> type : TYPES) {
            Message message;
            try {
                message = Codec.decode(bytes, type);
            } catch (RejectedMessage refused) {
                continue;
            }
            assertThat(message).isInstanceOf(type);
            try {
                assertThat(Codec.decode(Codec.encode(message), type)).isInstanceOf(type);
            } catch (RejectedMessage refused) {
                throw new AssertionError("accepted " + message + " but refused it once encoded again", refused);
            }
        }
    }
}
