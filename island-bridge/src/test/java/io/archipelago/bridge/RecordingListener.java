package io.archipelago.bridge;

import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A subscriber that keeps what it was told. */
class RecordingListener implements JobStreamListener {

    final List<StreamChunk> chunks = new CopyOnWriteArrayList<>();
    volatile Long completedUnits;
    volatile String failure;

    @Override
    public void onChunk(StreamChunk chunk) {
        chunks.add(chunk);
    }

    @Override
    public void onCompleted(long units) {
        completedUnits = units;
    }

    @Override
    public void onFailed(String reason) {
        failure = reason;
    }

    List<String> texts() {
        return chunks.stream().map(StreamChunk::text).toList();
    }
}
