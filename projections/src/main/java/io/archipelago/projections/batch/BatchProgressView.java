package io.archipelago.projections.batch;

/**
 * One progress event of a batch: its number (increasing within the batch, with gaps), its type
 * ({@code item_started}, {@code item_completed}, {@code item_retried}, {@code item_failed}, {@code batch_completed},
 * the last) and its data as one line of JSON.
 */
public record BatchProgressView(long seq, String type, String data) {

    /** The type of the event that ends a batch's progress. */
    public static final String LAST = "batch_completed";
}
