package io.archipelago.projections.registry;

import java.time.Instant;

/** One account's review of a version, as last edited ({@code edition} counts the edits, 1 for none). */
public record ReviewView(String reviewer, int stars, boolean complaint, String text, int edition,
                         Instant reviewedAt) {
}
