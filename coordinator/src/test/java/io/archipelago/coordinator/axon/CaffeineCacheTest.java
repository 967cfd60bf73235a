package io.archipelago.coordinator.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

class CaffeineCacheTest {

    @Test
    void holdsAtMostItsMaximumSizeAndTellsListenersWhatItEvicts() {
        CaffeineCache cache = new CaffeineCache(100);
        List<Object> expired = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                expired.add(key);
            }
        });
        for (int i = 0; i < 1_000; i++) {
            cache.put("market-" + i, i);
        }
        long held = 0;
        for (int i = 0; i < 1_000; i++) {
            held += cache.containsKey("market-" + i) ? 1 : 0;
        }
        assertThat(held).isLessThanOrEqualTo(100);
        assertThat(expired).hasSize((int) (1_000 - held));
    }

    @Test
    void putGetRemoveAndTheirNotifications() {
        CaffeineCache cache = new CaffeineCache(10);
        List<String> events = new ArrayList<>();
        Registration registration = cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                events.add("created " + key + "=" + value);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                events.add("updated " + key + "=" + value);
            }

            @Override
            public void onEntryRemoved(Object key) {
                events.add("removed " + key);
            }
        });

        cache.put("a", 1);
        cache.put("a", 2);
        assertThat(cache.putIfAbsent("a", 3)).isFalse();
        assertThat(cache.<String, Integer>get("a")).isEqualTo(2);
        assertThat(cache.<Integer>computeIfAbsent("b", () -> 7)).isEqualTo(7);
        cache.<Integer>computeIfPresent("b", value -> value + 1);
        assertThat(cache.<String, Integer>get("b")).isEqualTo(8);
        assertThat(cache.remove("a")).isTrue();
        assertThat(cache.remove("a")).isFalse();
        cache.removeAll();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(registration.cancel()).isTrue();
        cache.put("c", 1);

        assertThat(events).containsExactly("created a=1", "updated a=2", "removed a", "removed b");
    }
}
