package io.archipelago.projections.registry;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Cargo version as the registry shows it: its image, manifest, publisher and tier, signature and the key it was
 * verified against at publication, status, executions and their outcomes, success rate (null before any execution),
 * ratings, and reputation ({@link CargoReputation}: {@code reputation} the posterior mean, {@code rankScore} its
 * pessimistic bound).
 */
public record VersionView(String cargo, String version, String publisher, String publisherName,
                          String publisherTier, String image, String unit, String runtime, long ramMib, long vramMib,
                          int cores, List<String> quantizations, String license, long royaltyMicroCredits,
                          String status, @Nullable String statusReason, Signature signature, long executions,
                          long successes, long failures, long timeouts, @Nullable Double successRate,
                          long ratings, @Nullable Double averageRating, long complaints, double reputation,
                          double rankScore, long units, long royaltiesMicroCredits,
                          Instant publishedAt) {

    /**
     * The cosign signature as published, the key it verified against and that key's id, and whether it verified at
     * publication (always: else nothing is here).
     */
    public record Signature(String payload, String signature, String signingKey, String keyId,
                            boolean verifiedAtPublication, String tag) {
    }
}
