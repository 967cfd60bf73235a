package io.archipelago.bridge;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the market: records every command the bridge sends and accepts it, unless told to refuse. */
final class RecordingCommands implements CommandSender {

    final List<Object> sent = new CopyOnWriteArrayList<>();
    private final List<Class<?>> refused = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<?> send(Object command) {
        sent.add(command);
        if (refused.contains(command.getClass())) {
            return CompletableFuture.failedFuture(new IllegalStateException("refused by the test"));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** From now on, commands of {@code type} fail as the market would refuse them. */
    void refuse(Class<?> type) {
        refused.add(type);
    }

    <T> List<T> of(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
