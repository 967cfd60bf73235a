package io.archipelago.bridge.stream;

/**
 * Where {@link JobStreams} hear the output of jobs that another coordinator node dispatched: told when a job first
 * has a subscriber on this node, and when its stream is over or nobody follows it any more.
 */
public interface StreamFeed {

    /** Output of {@code jobId} dispatched elsewhere is wanted here from now on. */
    void follow(String jobId);

    /** Output of {@code jobId} is no longer wanted here. */
    void unfollow(String jobId);
}
