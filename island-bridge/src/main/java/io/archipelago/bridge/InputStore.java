package io.archipelago.bridge;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where job inputs are kept so that they outlive the coordinator's memory: a job placed after a restart, placed again
 * on another Island, or dispatched by another coordinator node runs on the input its consumer left. Inputs are the
 * UTF-8 bytes of a JSON object, as {@link JobInputs} encoded it. Every method may throw when the store is away.
 */
public interface InputStore {

    /**
     * Keeps {@code json} for {@code jobId}, replacing an input left for it before; it is stored when this returns.
     *
     * @param account     the account that left the input, null when not known
     * @param createdAt   when the input was left
     * @param deleteAfter when the input may be deleted even if its job never settles
     */
    void put(String jobId, @Nullable String account, byte[] json, Instant createdAt, Instant deleteAfter);

    /** The input left for {@code jobId}, if one is kept. */
    Optional<byte[]> get(String jobId);

    /** Deletes the input of {@code jobId}, if any. */
    void delete(String jobId);

    /** Lets the input of {@code jobId}, if any, be deleted from {@code deleteAfter} on, unless it was due earlier. */
    void deleteAfter(String jobId, Instant deleteAfter);

    /**
     * Deletes every input whose time to be deleted is before {@code now}.
     *
     * @return how many were deleted
     */
    int deleteDue(Instant now);
}
