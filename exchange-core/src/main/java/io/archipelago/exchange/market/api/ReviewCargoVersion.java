package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reviews a version, or edits the reviewer's review of it: 1-5 {@code stars}, a {@code complaint} flag (wrong or
 * harmful output, not what the manifest says) and at most {@link #MAX_TEXT} characters of text. Only an account
 * that completed a job on that version may; one review per account and version, edited at most once per
 * {@link #EDIT_INTERVAL_SECONDS} seconds.
 */
public record ReviewCargoVersion(@TargetAggregateIdentifier CargoType cargo, String version, AccountId reviewer,
                                 int stars, boolean complaint, String text, Instant at) {

    /** The longest review text, in characters. */
    public static final int MAX_TEXT = 2_000;
    /** How soon a review may be edited again. */
    public static final long EDIT_INTERVAL_SECONDS = 3_600;
}
