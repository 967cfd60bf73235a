package io.archipelago.bridge.stream;

/** One piece of a job's output: {@code seq} counts from 0 without gaps; {@code text} is a token, text or progress. */
public record StreamChunk(String jobId, long seq, String text) {
}
