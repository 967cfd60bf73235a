package io.archipelago.agent.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The float weights of an ONNX model, read straight from its protobuf bytes (ModelProto, GraphProto, TensorProto)
 * without generated classes. PyTorch's exporter names the bias of a linear layer after the module
 * ({@code encoder.layer.0.attention.self.query.bias}) but gives its transposed weight an anonymous name
 * ({@code onnx::MatMul_787}); walking the graph from each {@code MatMul} to the {@code Add} of its bias gives the
 * weight back its module's name ({@code ….query.weight}), stored as the MatMul's right operand: [in, out].
 */
final class OnnxWeights {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int FLOAT = 1;

    /** One weight: its shape and its elements, row-major. */
    record Weight(long[] shape, float[] values) {
    }

    private OnnxWeights() {
    }

    /** The float weights whose (restored) name {@code wanted} accepts, by name. */
    static Map<String, Weight> read(byte[] model, Predicate<String> wanted) {
        @Nullable Span graph = null;
        for (Field field : fields(model, new Span(0, model.length))) {
            if (field.number == MODEL_GRAPH) {
                graph = field.span;
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("not an ONNX model: no graph");
        }
        List<Node> nodes = new ArrayList<>();
        List<Span> initializers = new ArrayList<>();
        for (Field field : fields(model, graph)) {
            if (field.number == GRAPH_NODE) {
                nodes.add(node(model, field.span));
            } else if (field.number == GRAPH_INITIALIZER) {
                initializers.add(field.span);
            }
        }
        Map<String, String> names = restoredNames(nodes);
        Map<String, Weight> weights = new HashMap<>();
        for (Span initializer : initializers) {
            readTensor(model, initializer, names, wanted, weights);
        }
        return weights;
    }

    /** Anonymous MatMul weight name to the module's name, from the bias added to the MatMul's output. */
    private static Map<String, String> restoredNames(List<Node> nodes) {
        Map<String, String> weightOfOutput = new HashMap<>();
        for (Node node : nodes) {
            if (node.op.equals("MatMul") && node.inputs.size() == 2 && node.inputs.get(1).startsWith("onnx::")) {
                weightOfOutput.put(node.outputs.get(0), node.inputs.get(1));
            }
        }
        Map<String, String> names = new HashMap<>();
        for (Node node : nodes) {
            if (!node.op.equals("Add") || node.inputs.size() != 2) {
                continue;
            }
            for (int i = 0; i < 2; i++) {
                String bias = node.inputs.get(i);
                String weight = weightOfOutput.get(node.inputs.get(1 - i));
                if (weight != null && bias.endsWith(".bias")) {
                    names.put(weight, bias.substring(0, bias.length() - ".bias".length()) + ".weight");
                }
            }
        }
        return names;
    }

    private static void readTensor(byte[] model, Span tensor, Map<String, String> names, Predicate<String> wanted,
            Map<String, Weight> weights) {
        List<Long> dims = new ArrayList<>();
        long dataType = 0;
        String name = "";
        @Nullable Span raw = null;
        List<Span> floats = new ArrayList<>();
        for (Field field : fields(model, tensor)) {
            switch (field.number) {
                case TENSOR_DIMS -> {
                    if (field.span == null) {
                        dims.add(field.value);
                    } else {
                        int[] at = {field.span.start};
                        while (at[0] < field.span.end) {
                            dims.add(varint(model, at));
                        }
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = field.value;
                case TENSOR_NAME -> name = string(model, field.span);
                case TENSOR_RAW_DATA -> raw = field.span;
                case TENSOR_FLOAT_DATA -> floats.add(field.span);
                default -> {
                }
            }
        }
        name = names.getOrDefault(name, name);
        if (dataType != FLOAT || !wanted.test(name)) {
            return;
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        float[] values = new float[Math.toIntExact(count)];
        if (raw != null) {
            ByteBuffer.wrap(model, raw.start, raw.end - raw.start).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(values);
        } else {
            int i = 0;
            for (Span packed : floats) {
                ByteBuffer buffer = ByteBuffer.wrap(model, packed.start, packed.end - packed.start)
                        .order(ByteOrder.LITTLE_ENDIAN);
                while (buffer.remaining() >= Float.BYTES) {
                    values[i++] = buffer.getFloat();
                }
            }
            if (i != values.length) {
                throw new IllegalArgumentException(name + " holds " + i + " floats, its shape " + values.length);
            }
        }
        weights.put(name, new Weight(shape, values));
    }

    private static Node node(byte[] model, Span span) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        for (Field field : fields(model, span)) {
            switch (field.number) {
                case NODE_INPUT -> inputs.add(string(model, field.span));
                case NODE_OUTPUT -> outputs.add(string(model, field.span));
                case NODE_OP_TYPE -> op = string(model, field.span);
                default -> {
                }
            }
        }
        return new Node(op, inputs, outputs);
    }

    private record Node(String op, List<String> inputs, List<String> outputs) {
    }

    private record Span(int start, int end) {
    }

    /** A protobuf field: a varint {@code value}, or the {@code span} of a length-delimited one. */
    private record Field(int number, long value, @Nullable Span span) {
    }

    private static List<Field> fields(byte[] bytes, Span within) {
        List<Field> fields = new ArrayList<>();
        int[] at = {within.start};
        while (at[0] < within.end) {
            long key = varint(bytes, at);
            int number = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            switch (wireType) {
                case 0 -> fields.add(new Field(number, varint(bytes, at), null));
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    int length = Math.toIntExact(varint(bytes, at));
                    if (length < 0 || at[0] + length > within.end) {
                        throw new IllegalArgumentException("a field runs past its message at byte " + at[0]);
                    }
                    fields.add(new Field(number, 0, new Span(at[0], at[0] + length)));
                    at[0] += length;
                }
                default -> throw new IllegalArgumentException("wire type " + wireType + " at byte " + at[0]);
            }
        }
        return fields;
    }

    private static long varint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes at byte " + at[0]);
    }

    private static String string(byte[] bytes, Span span) {
        return new String(bytes, span.start, span.end - span.start, StandardCharsets.UTF_8);
    }
}
