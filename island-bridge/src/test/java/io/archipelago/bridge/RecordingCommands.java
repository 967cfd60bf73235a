package io.archipelago.bridge;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the market: records every command the bridge sends and accepts it. */
final class RecordingCommands implements CommandSender {

    final List<Object> sent = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<?> send(Object command) {
        sent.add(command);
        return CompletableFuture.completedFuture(null);
    }

    <T> List<T> of(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
