package io.archipelago.projections.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The public keys an auditor trusts to have signed the chain's checkpoints, each of one coordinator node: a
 * checkpoint is checked with the key of the node it names, and one of a node without a key is refused. A key given
 * without a node (the single-node default: the data directory's {@code chain-signing.key.pub}) vouches for
 * checkpoints of any node it verifies; name the nodes to refuse the others.
 */
public final class ChainKeys {

    /** What a checkpoint is worth to the auditor. */
    public enum Verdict {
        /** Signed by the key of the node it names (or by a key given without a node). */
        VALID,
        /** Not signed by the key that should have signed it. */
        BAD_SIGNATURE,
        /** Of a node whose key the auditor was not given. */
        UNKNOWN_NODE
    }

    private final Map<String, PublicKey> byNode;
    private final List<PublicKey> anyNode;

    private ChainKeys(Map<String, PublicKey> byNode, List<PublicKey> anyNode) {
        this.byNode = Map.copyOf(byNode);
        this.anyNode = List.copyOf(anyNode);
    }

    /**
     * The keys given one by one: {@code <node>=<key>} for a node's key, or {@code <key>} alone; a key is a file (a
     * {@code .pub} as the coordinator writes it) or base64 X.509. Blank entries are skipped.
     */
    public static ChainKeys of(List<String> entries) {
        Map<String, PublicKey> byNode = new LinkedHashMap<>();
        List<PublicKey> anyNode = new ArrayList<>();
        for (String entry : entries) {
            String given = entry.strip();
            if (given.isEmpty()) {
                continue;
            }
            int equals = given.indexOf('=');
            // base64 ends with its padding '=': only a '=' with a key after it names a node
            if (equals > 0 && equals < given.length() - 1 && !given.substring(equals + 1).startsWith("=")) {
                put(byNode, given.substring(0, equals).strip(), ChainSigningKey.publicKey(given.substring(equals + 1)));
            } else {
                anyNode.add(ChainSigningKey.publicKey(given));
            }
        }
        return new ChainKeys(byNode, anyNode);
    }

    /**
     * The keys listed in a file, one node a line: {@code <node> <key>} (a key file or base64), or a key alone; blank
     * lines and lines starting with {@code #} are skipped.
     */
    public static ChainKeys read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot read the chain's public keys " + file, failed);
        }
        List<String> entries = new ArrayList<>();
        for (String line : lines) {
            String given = line.strip();
            if (given.isEmpty() || given.startsWith("#")) {
                continue;
            }
            String[] fields = given.split("\\s+");
            if (fields.length > 2) {
                throw new IllegalArgumentException("not a node and its key in " + file + ": " + given);
            }
            entries.add(fields.length == 2 ? fields[0] + "=" + fields[1] : fields[0]);
        }
        return of(entries);
    }

    /** These keys and {@code others}; a node given twice must have the same key. */
    public ChainKeys and(ChainKeys others) {
        Map<String, PublicKey> nodes = new LinkedHashMap<>(byNode);
        others.byNode.forEach((node, key) -> put(nodes, node, key));
        List<PublicKey> keys = new ArrayList<>(anyNode);
        keys.addAll(others.anyNode);
        return new ChainKeys(nodes, keys);
    }

    private static void put(Map<String, PublicKey> byNode, String node, PublicKey key) {
        PublicKey before = byNode.putIfAbsent(node, key);
        if (before != null && !before.equals(key)) {
            throw new IllegalArgumentException("node " + node + " is given two different public keys");
        }
    }

    public boolean isEmpty() {
        return byNode.isEmpty() && anyNode.isEmpty();
    }

    /** Whether the checkpoint is signed by the key that should have signed it. */
    public Verdict check(ChainCheckpoint checkpoint) {
        @Nullable PublicKey nodes = checkpoint.node() == null ? null : byNode.get(checkpoint.node());
        if (nodes != null) {
            return checkpoint.verifies(nodes) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
        }
        if (anyNode.isEmpty()) {
            return Verdict.UNKNOWN_NODE;
        }
        return anyNode.stream().anyMatch(checkpoint::verifies) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
