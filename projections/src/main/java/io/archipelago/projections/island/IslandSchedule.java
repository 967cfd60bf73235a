package io.archipelago.projections.island;

import io.archipelago.exchange.island.api.AvailabilitySchedule;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * When an Island sells, as the read side shows it: {@code always}, or its weekly {@code windows}
 * {@code [startMinute, endMinute)} counted in minutes from Monday 00:00 UTC.
 */
public record IslandSchedule(boolean always, List<Window> windows) {

    public static final IslandSchedule ALWAYS = new IslandSchedule(true, List.of());

    public IslandSchedule {
        windows = List.copyOf(windows);
    }

    /** A weekly window {@code [startMinute, endMinute)} in minutes from Monday 00:00 UTC. */
    public record Window(int startMinute, int endMinute) {
    }

    static IslandSchedule of(AvailabilitySchedule schedule) {
        return new IslandSchedule(schedule.isAlways(), schedule.windows().stream()
                .map(window -> new Window(window.startMinute(), window.endMinute())).toList());
    }

    /** Parses the column form, {@code "start-end,start-end"}, the empty string being always. */
    static IslandSchedule parse(String column) {
        if (column.isEmpty()) {
            return ALWAYS;
        }
        return new IslandSchedule(false, Arrays.stream(column.split(",")).map(window -> {
            String[] bounds = window.split("-", 2);
            return new Window(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        }).toList());
    }

    /** The column form; see {@link #parse}. */
    String column() {
        return windows.stream().map(window -> window.startMinute() + "-" + window.endMinute())
                .collect(Collectors.joining(","));
    }
}
