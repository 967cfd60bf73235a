package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.InlineArtifacts;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageRuntimesTest {

    /** Keeps what a runtime sends, joining inline artifacts as the coordinator does. */
    private static final class Recorded implements Output {
        final List<Payloads.Progress> progress = new ArrayList<>();
        final List<byte[]> images = new ArrayList<>();
        final List<Integer> partials = new ArrayList<>();
        private final InlineArtifacts.Assembly assembly = new InlineArtifacts.Assembly(1 << 22);

        @Override
        public void send(Payload payload) {
            try {
                if (payload instanceof Payloads.Progress step) {
                    progress.add(step);
                } else if (payload instanceof Payloads.ArtifactPart part) {
                    assembly.add(part);
                } else if (payload instanceof Payloads.Artifact artifact && artifact.partial() != null) {
                    assembly.complete(artifact.ref());
                    partials.add(artifact.partial());
                } else if (payload instanceof Payloads.Artifact artifact) {
                    images.add(assembly.complete(artifact.ref()));
                } else {
                    throw new AssertionError("unexpected " + payload);
                }
            } catch (IOException broken) {
                throw new AssertionError(broken);
            }
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }

    private static ObjectNode request(String prompt, int n, String size) {
        return Codec.json().createObjectNode().put("prompt", prompt).put("n", n).put("size", size);
    }

    @Test
    void theDemoPaintsTheSamePngForTheSamePromptAndReportsProgressToTheEnd() throws Exception {
        DemoImageRuntime demo = new DemoImageRuntime(Duration.ZERO);
        Recorded first = new Recorded();
        Recorded again = new Recorded();
        Recorded other = new Recorded();

        assertThat(demo.run("images.demo", request("a lighthouse at dusk", 2, "128x64"), 2, first)).isEqualTo(2);
        demo.run("images.demo", request("a lighthouse at dusk", 2, "128x64"), 2, again);
        demo.run("images.demo", request("a red fox", 1, "128x64"), 1, other);

        assertThat(first.images).hasSize(2);
        assertThat(first.images.get(0)).isEqualTo(again.images.get(0));
        assertThat(first.images.get(1)).isEqualTo(again.images.get(1)).isNotEqualTo(first.images.get(0));
        assertThat(other.images.get(0)).isNotEqualTo(first.images.get(0));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(first.images.get(0)));
        assertThat(png.getWidth()).isEqualTo(128);
        assertThat(png.getHeight()).isEqualTo(64);

        assertThat(first.progress).hasSize(2 * DemoImageRuntime.STEPS);
        assertThat(first.progress).extracting(Payloads.Progress::value).isSorted();
        Payloads.Progress last = first.progress.get(first.progress.size() - 1);
        assertThat(last.value()).isEqualTo(last.max()).isEqualTo(2L * DemoImageRuntime.STEPS);
        assertThat(last.stage()).isEqualTo("painting");
    }

    @Test
    void theDemoSendsThePartialImagesAskedBeforeEachImage() throws Exception {
        Recorded output = new Recorded();
        ObjectNode request = request("a slow dawn", 1, "32x32").put("partial_images", 2);
        new DemoImageRuntime(Duration.ZERO).run("images.demo", request, 1, output);
        assertThat(output.partials).containsExactly(0, 1);
        assertThat(output.images).hasSize(1);
    }

    @Test
    void theDemoRefusesSizesAndCountsBeyondItsLimits() {
        DemoImageRuntime demo = new DemoImageRuntime(Duration.ZERO);
        assertThatThrownBy(() -> demo.run("images.demo", request("x", 1, "1024x1024"), 1, new Recorded()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 to 256");
        assertThatThrownBy(() -> demo.run("images.demo", request("x", 3, "64x64"), 2, new Recorded()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void automatic1111StepsBecomeProgressAndItsImagesComeInline() throws Exception {
        byte[] png = new byte[300_000];
        for (int i = 0; i < png.length; i++) {
            png[i] = (byte) (i * 31);
        }
        try (StandInAutomatic1111Server server = new StandInAutomatic1111Server(png, false)) {
            Recorded output = new Recorded();
            long units = new Automatic1111Runtime(server.url(), 20, Duration.ofMillis(10))
                    .run("images.sd", request("a castle", 2, "512x768"), 2, output);

            assertThat(units).isEqualTo(2);
            assertThat(output.images).hasSize(2).allSatisfy(image -> assertThat(image).isEqualTo(png));
            assertThat(server.requests.get(0).path("width").asInt()).isEqualTo(512);
            assertThat(server.requests.get(0).path("height").asInt()).isEqualTo(768);
            assertThat(server.requests.get(0).path("batch_size").asInt()).isEqualTo(2);
            assertThat(output.progress).hasSizeGreaterThan(2);
            assertThat(output.progress).extracting(Payloads.Progress::value).isSorted();
            Payloads.Progress last = output.progress.get(output.progress.size() - 1);
            assertThat(last.value()).isEqualTo(20);
            assertThat(last.max()).isEqualTo(20);
        }
    }

    @Test
    void anAutomatic1111FailureMidWayFailsTheJobAfterItsProgress() throws Exception {
        try (StandInAutomatic1111Server server = new StandInAutomatic1111Server(new byte[] {1}, true)) {
            Recorded output = new Recorded();
            assertThatThrownBy(() -> new Automatic1111Runtime(server.url(), 20, Duration.ofMillis(10))
                    .run("images.sd", request("a castle", 1, "512x512"), 1, output))
                    .isInstanceOf(IOException.class).hasMessageContaining("500");
            assertThat(output.images).isEmpty();
        }
    }
}
