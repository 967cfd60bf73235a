package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.InlineArtifacts;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * A deterministic image generator for the embedded demo, not a model: it paints a small PNG (16 to
 * {@value #MAX_SIDE} pixels a side) from the SHA-256 of the prompt and the image's index, two colour gradients and
 * rings, row band by row band, reporting each of its {@value #STEPS} steps as progress (stage {@code "painting"}) and
 * pausing between them so the progress shows. With {@code partial_images} (0 to {@value #MAX_PARTIALS}) it also
 * sends that many partial PNGs of each image as it is painted (the bands so far). The same prompt, size and index
 * always give the same bytes. Images travel inline in the job's output; the units are the images made.
 */
final class DemoImageRuntime implements JobRuntime {

    static final int MAX_SIDE = 256;
    static final int MAX_IMAGES = 4;
    static final int STEPS = 8;
    static final String STAGE = "painting";
    static final int MAX_PARTIALS = 3;

    private final Duration stepPause;

    DemoImageRuntime(Duration stepPause) {
        this.stepPause = stepPause;
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws Exception {
        String prompt = input.path("prompt").asText("");
        int images = input.path("n").asInt(1);
        if (images < 1 || images > MAX_IMAGES || images > maxUnits) {
            throw new IllegalArgumentException("the demo makes 1 to " + Math.min(MAX_IMAGES, maxUnits)
                    + " images a job, asked " + images);
        }
        int[] size = size(input.path("size").asText("256x256"));
        int partials = Math.max(0, Math.min(MAX_PARTIALS, input.path("partial_images").asInt(0)));
        long made = 0;
        for (int index = 0; index < images && !output.cancelled(); index++) {
            byte[] png = paint(prompt, index, size[0], size[1], images, partials, output);
            if (output.cancelled()) {
                break;
            }
            output.inlineArtifact(png, "image/png");
            made++;
        }
        return made;
    }

    /** Width and height of {@code WxH}, each 16 to {@value #MAX_SIDE}; {@code auto} is the largest square. */
    static int[] size(String size) {
        if (size.equals("auto")) {
            return new int[] {MAX_SIDE, MAX_SIDE};
        }
        String[] sides = size.split("x", -1);
        try {
            int width = Integer.parseInt(sides[0]);
            int height = sides.length == 2 ? Integer.parseInt(sides[1]) : -1;
            if (width >= 16 && width <= MAX_SIDE && height >= 16 && height <= MAX_SIDE) {
                return new int[] {width, height};
            }
        } catch (NumberFormatException notASize) {
            // refused below
        }
        throw new IllegalArgumentException("the demo paints WxH with sides of 16 to " + MAX_SIDE + " pixels, not "
                + size);
    }

    private byte[] paint(String prompt, int index, int width, int height, int images, int partials, Output output)
            throws IOException, InterruptedException {
        byte[] seed = InlineArtifacts.sha256((index + "\n" + prompt)
                .getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        int from = rgb(seed, 0);
        int to = rgb(seed, 6);
        int ring = rgb(seed, 12);
        int cx = width * (16 + hex(seed, 18) % 64) / 96;
        int cy = height * (16 + hex(seed, 20) % 64) / 96;
        int spacing = 6 + hex(seed, 22) % 14;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int step = 0; step < STEPS; step++) {
            if (output.cancelled()) {
                break;
            }
            for (int y = height * step / STEPS; y < height * (step + 1) / STEPS; y++) {
                for (int x = 0; x < width; x++) {
                    int distance = (int) Math.hypot(x - cx, y - cy);
                    int pixel = distance % spacing < 2 ? ring : blend(from, to, (x + y) * 255 / (width + height));
                    image.setRGB(x, y, pixel);
                }
            }
            output.progress((long) index * STEPS + step + 1, (long) images * STEPS, STAGE);
            for (int partial = 0; partial < partials; partial++) {
                // partial number p shows the bands painted by the (p+1)th of partials+1 equal shares of the steps
                if (step + 1 == (partial + 1) * STEPS / (partials + 1)) {
                    output.inlinePartialArtifact(png(image), "image/png", partial);
                }
            }
            if (!stepPause.isZero()) {
                TimeUnit.NANOSECONDS.sleep(stepPause.toNanos());
            }
        }
        return png(image);
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    private static int rgb(byte[] hex, int at) {
        return Integer.parseInt(new String(hex, at, 6, StandardCharsets.US_ASCII), 16);
    }

    private static int hex(byte[] hex, int at) {
        return Integer.parseInt(new String(hex, at, 2, StandardCharsets.US_ASCII), 16);
    }

    private static int blend(int from, int to, int weight) {
        int pixel = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (from >> shift) & 0xff;
            int b = (to >> shift) & 0xff;
            pixel |= ((a * (255 - weight) + b * weight) / 255) << shift;
        }
        return pixel;
    }

    @Override
    public String label() {
        return "images demo (deterministic painter, not a model)";
    }
}
