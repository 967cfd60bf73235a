package io.archipelago.bridge;

import io.archipelago.protocol.Codec;
import java.time.Duration;

/**
 * How large job inputs may be and how long they are kept.
 *
 * @param maxBytes  the largest input accepted, in bytes of its compact UTF-8 JSON; a larger one is refused whole
 * @param retention how long an input is kept once its job settled (completed, failed or expired); zero deletes it
 *                  at settlement
 * @param maxAge    how long after it was left an input is deleted even if no settlement was seen for its job (a
 *                  bid never submitted, a coordinator that stopped between settlement and deletion); longer than
 *                  any job may wait and run
 */
public record InputLimits(long maxBytes, Duration retention, Duration maxAge) {

    /**
     * The largest input limit there can be, in bytes: an input travels to its Island inside a job offer, and an Island
     * reads no message larger than {@link Codec#MAX_BYTES} (256 KiB); 16 KiB are left for the offer's other fields.
     */
    public static final long MAX_BYTES_CEILING = Codec.MAX_BYTES - 16 * 1024;

    public InputLimits {
        if (maxBytes < 1 || maxBytes > MAX_BYTES_CEILING) {
            throw new IllegalArgumentException("the input size limit is between 1 and " + MAX_BYTES_CEILING
                    + " bytes (what an Island reads of a job offer), got " + maxBytes);
        }
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("the input retention is zero or positive, got " + retention);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(retention) < 0) {
            throw new IllegalArgumentException("the inputs' maximum age is positive and at least their retention, got "
                    + maxAge);
        }
    }
}
