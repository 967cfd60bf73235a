package io.archipelago.query.history;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list: its {@code items}, where it starts ({@code offset}) and how many it holds at most
 * ({@code limit}); {@code nextOffset} asks for the next page, absent when this one is the last.
 */
public record Page<T>(List<T> items, int offset, int limit, @Nullable Integer nextOffset) {

    static <T> Page<T> of(List<T> items, Window window) {
        return new Page<>(items, window.offset(), window.limit(),
                items.size() == window.limit() ? window.offset() + window.limit() : null);
    }
}
