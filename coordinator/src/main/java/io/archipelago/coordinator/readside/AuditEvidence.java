package io.archipelago.coordinator.readside;

import io.archipelago.projections.chain.ChainCheckpoint;
import io.archipelago.projections.chain.ChainKeys;
import io.archipelago.projections.chain.ChainSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the auditor holds outside the database: the chain's signed checkpoints (JSON-lines files, one per node that
 * wrote the chain; by default the coordinator's {@code <data-dir>/chain-checkpoints.jsonl}), the public keys of the
 * nodes that sign them ({@link ChainKeys}; by default the {@code chain-signing.key.pub} beside the coordinator's key),
 * and how many events the chain may leave unlinked (0: an audit of a stopped coordinator finds every event linked);
 * optionally the Kafka export, whose payloads must be those stored. Lines that are no checkpoint are problems.
 */
record AuditEvidence(ChainKeys keys, List<ChainCheckpoint> checkpoints, List<String> problems,
                     long maxUnlinked, @Nullable ExportWitness export) {

    /** The evidence a coordinator kept in {@code dataDir}, or given by the operator where not null. */
    static AuditEvidence of(Path dataDir, @Nullable String publicKey, @Nullable Path checkpoints, long maxUnlinked) {
        return of(dataDir, publicKey == null ? List.of() : List.of(publicKey), null,
                checkpoints == null ? List.of() : List.of(checkpoints), maxUnlinked);
    }

    /**
     * The evidence given by the operator: public keys one by one ({@code <node>=<key>} or a key alone) and/or in a
     * file of them, and the checkpoint files of every node; the coordinator's own in {@code dataDir} for those not
     * given.
     */
    static AuditEvidence of(Path dataDir, List<String> publicKeys, @Nullable Path publicKeyFile,
                            List<Path> checkpointFiles, long maxUnlinked) {
        List<String> problems = new ArrayList<>();
        ChainKeys keys = ChainKeys.of(List.of());
        List<String> given = new ArrayList<>(publicKeys);
        if (given.isEmpty() && publicKeyFile == null) {
            given.add(ChainSigningKey.publicFile(dataDir.resolve(ChainSigningKey.FILE)).toString());
        }
        try {
            keys = ChainKeys.of(given);
            if (publicKeyFile != null) {
                keys = keys.and(ChainKeys.read(publicKeyFile));
            }
        } catch (IllegalArgumentException | UncheckedIOException unusable) {
            problems.add("checkpoint: no public key to verify the checkpoints with (" + String.join(", ", given)
                    + (publicKeyFile == null ? "" : ", " + publicKeyFile) + "): " + unusable.getMessage());
            keys = ChainKeys.of(List.of());
        }
        List<Path> files = checkpointFiles.isEmpty() ? List.of(dataDir.resolve(ChainCheckpoint.FILE))
                : checkpointFiles;
        Set<ChainCheckpoint> read = new LinkedHashSet<>();
        for (Path file : files) {
            read.addAll(checkpoints(file, problems));
        }
        return new AuditEvidence(keys, List.copyOf(read), List.copyOf(problems), maxUnlinked, null);
    }

    private static List<ChainCheckpoint> checkpoints(Path file, List<String> problems) {
        List<ChainCheckpoint> read = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int line = 0; line < lines.size(); line++) {
                    try {
                        read.add(ChainCheckpoint.parse(lines.get(line)));
                    } catch (IllegalArgumentException unreadable) {
                        problems.add("checkpoint: line " + (line + 1) + " of " + file + " is unreadable: "
                                + unreadable.getMessage());
                    }
                }
            } catch (IOException failed) {
                throw new UncheckedIOException("cannot read the checkpoints " + file, failed);
            }
        }
        return read;
    }

    /** This evidence and the export as a witness, with the checkpoints it holds that the files do not. */
    AuditEvidence witnessedBy(ExportWitness witness) {
        Set<ChainCheckpoint> all = new LinkedHashSet<>(checkpoints);
        all.addAll(witness.checkpoints());
        return new AuditEvidence(keys, List.copyOf(all), problems, maxUnlinked, witness);
    }
}
