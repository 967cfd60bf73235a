package io.archipelago.agent.pipeline;

import io.archipelago.protocol.Payloads;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The hidden states between two stages of the encoder: one row of {@code width} floats per token, row-major. On the
 * wire it is a {@code float32} tensor of shape [tokens, width].
 */
public record Activations(int tokens, int width, float[] values) {

    public Activations {
        if (tokens < 1 || width < 1 || values.length != (long) tokens * width) {
            throw new IllegalArgumentException("activations of " + tokens + " tokens x " + width + " need "
                    + (long) tokens * width + " values, got " + values.length);
        }
    }

    /** These activations as a binary tensor payload. */
    public Payloads.Tensor toTensor() {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Payloads.Tensor.of(Payloads.Dtype.float32, List.of((long) tokens, (long) width), bytes.array());
    }

    /** The activations a tensor payload carries: float32, two axes. */
    public static Activations of(Payloads.Tensor tensor) {
        if (tensor.dtype() != Payloads.Dtype.float32 || tensor.shape().size() != 2) {
            throw new IllegalArgumentException("activations are a float32 tensor [tokens, width], got "
                    + tensor.dtype() + " " + tensor.shape());
        }
        float[] values = new float[Math.toIntExact(tensor.shape().get(0) * tensor.shape().get(1))];
        ByteBuffer.wrap(tensor.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new Activations(Math.toIntExact(tensor.shape().get(0)), Math.toIntExact(tensor.shape().get(1)),
                values);
    }
}
