package io.archipelago.coordinator.readside;

import io.archipelago.projections.chain.ChainCheckpoint;
import io.archipelago.projections.chain.ChainSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the auditor holds outside the database: the chain's signed checkpoints (a JSON-lines file, by default the
 * coordinator's {@code <data-dir>/chain-checkpoints.jsonl}), the public key they must be signed with (by default the
 * {@code chain-signing.key.pub} beside the coordinator's key), and how many events the chain may leave unlinked
 * (0: an audit of a stopped coordinator finds every event linked); optionally the Kafka export, whose payloads must
 * be those stored. Lines that are no checkpoint are problems.
 */
record AuditEvidence(@Nullable PublicKey publicKey, List<ChainCheckpoint> checkpoints, List<String> problems,
                     long maxUnlinked, @Nullable ExportWitness export) {

    /** The evidence a coordinator kept in {@code dataDir}, or given by the operator where not null. */
    static AuditEvidence of(Path dataDir, @Nullable String publicKey, @Nullable Path checkpoints, long maxUnlinked) {
        List<String> problems = new ArrayList<>();
        String key = publicKey != null ? publicKey
                : ChainSigningKey.publicFile(dataDir.resolve(ChainSigningKey.FILE)).toString();
        PublicKey verifier = null;
        try {
            verifier = ChainSigningKey.publicKey(key);
        } catch (IllegalArgumentException | UncheckedIOException unusable) {
            problems.add("checkpoint: no public key to verify the checkpoints with (" + key + "): "
                    + unusable.getMessage());
        }
        Path file = checkpoints != null ? checkpoints : dataDir.resolve(ChainCheckpoint.FILE);
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
        return new AuditEvidence(verifier, List.copyOf(read), List.copyOf(problems), maxUnlinked, null);
    }

    /** This evidence and the export as a witness, with the checkpoints it holds that the file does not. */
    AuditEvidence witnessedBy(ExportWitness witness) {
        Set<ChainCheckpoint> all = new LinkedHashSet<>(checkpoints);
        all.addAll(witness.checkpoints());
        return new AuditEvidence(publicKey, List.copyOf(all), problems, maxUnlinked, witness);
    }
}
