package io.archipelago.bridge.stream;

/** A listener's hold on a job stream; closing it stops delivery. */
public interface StreamSubscription extends AutoCloseable {

    @Override
    void close();
}
