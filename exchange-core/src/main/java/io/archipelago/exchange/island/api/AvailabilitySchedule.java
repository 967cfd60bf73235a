package io.archipelago.exchange.island.api;

import java.time.Instant;
import java.util.List;

/**
 * When an Island sells compute: weekly windows in UTC. An empty list means always available. A window is
 * {@code [startMinute, endMinute)} counted in minutes from Monday 00:00 UTC, 0 ≤ start &lt; end ≤ 10080.
 */
public record AvailabilitySchedule(List<Window> windows) {

    public static final int MINUTES_PER_WEEK = 7 * 24 * 60;
    public static final AvailabilitySchedule ALWAYS = new AvailabilitySchedule(List.of());

    /** Epoch second 0 was a Thursday: Monday 00:00 UTC lies three days later in the week. */
    private static final long EPOCH_MINUTE_OF_WEEK = 3L * 24 * 60;

    public AvailabilitySchedule {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    public record Window(int startMinute, int endMinute) {
        public Window {
            if (startMinute < 0 || endMinute > MINUTES_PER_WEEK || startMinute >= endMinute) {
                throw new IllegalArgumentException("a schedule window is [start, end) minutes of the week with "
                        + "0 <= start < end <= 10080, got [" + startMinute + ", " + endMinute + ")");
            }
        }
    }

    public boolean isAlways() {
        return windows.isEmpty();
    }

    public boolean isOpenAt(Instant at) {
        if (windows.isEmpty()) {
            return true;
        }
        int minute = (int) Math.floorMod(Math.floorDiv(at.getEpochSecond(), 60) + EPOCH_MINUTE_OF_WEEK,
                (long) MINUTES_PER_WEEK);
        for (Window window : windows) {
            if (minute >= window.startMinute && minute < window.endMinute) {
                return true;
            }
        }
        return false;
    }
}
