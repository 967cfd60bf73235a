package io.archipelago.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InlineArtifactsTest {

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void splitsIntoBoundedPartsThatJoinBackToTheSameBytes() throws IOException {
        byte[] image = bytes(Payloads.MAX_PART_BYTES * 2 + 17);
        List<Payload> payloads = InlineArtifacts.payloads(image, "image/png");
        assertThat(payloads).hasSize(4);
        InlineArtifacts.Assembly assembly = new InlineArtifacts.Assembly(1 << 20);
        for (Payload payload : payloads.subList(0, 3)) {
            Payloads.ArtifactPart part = (Payloads.ArtifactPart) payload;
            assertThat(part.bytes().length).isLessThanOrEqualTo(Payloads.MAX_PART_BYTES);
            assertThat(Codec.encode(JobOutput.chunk("job-1", 0, part)).length).isLessThan(Codec.MAX_BYTES);
            assembly.add(part);
        }
        ArtifactReference ref = ((Payloads.Artifact) payloads.get(3)).ref();
        assertThat(ref.location()).isEqualTo("inline:" + ref.sha256());
        assertThat(assembly.complete(ref)).isEqualTo(image);
    }

    @Test
    void refusesPartsOutOfOrderOverTheLimitOrNotHashingToTheReference() throws IOException {
        byte[] image = bytes(Payloads.MAX_PART_BYTES + 1);
        List<Payload> payloads = InlineArtifacts.payloads(image, "image/png");
        Payloads.ArtifactPart first = (Payloads.ArtifactPart) payloads.get(0);
        Payloads.ArtifactPart second = (Payloads.ArtifactPart) payloads.get(1);
        ArtifactReference ref = ((Payloads.Artifact) payloads.get(2)).ref();

        assertThatThrownBy(() -> new InlineArtifacts.Assembly(1 << 20).add(second)).isInstanceOf(IOException.class)
                .hasMessageContaining("offset");
        InlineArtifacts.Assembly small = new InlineArtifacts.Assembly(Payloads.MAX_PART_BYTES);
        small.add(first);
        assertThatThrownBy(() -> small.add(second)).isInstanceOf(IOException.class).hasMessageContaining("over");

        InlineArtifacts.Assembly missingPart = new InlineArtifacts.Assembly(1 << 20);
        missingPart.add(first);
        assertThatThrownBy(() -> missingPart.complete(ref)).isInstanceOf(IOException.class);

        InlineArtifacts.Assembly forged = new InlineArtifacts.Assembly(1 << 20);
        forged.add(first);
        forged.add(Payloads.ArtifactPart.of(first.sha256(), first.bytes().length, new byte[] {42}));
        assertThatThrownBy(() -> forged.complete(ref)).isInstanceOf(IOException.class)
                .hasMessageContaining("are not artifact");
        // the assembly is ready for the next artifact after a refusal
        forged.add(first);
        forged.add(second);
        assertThat(forged.complete(ref)).isEqualTo(image);
    }
}
