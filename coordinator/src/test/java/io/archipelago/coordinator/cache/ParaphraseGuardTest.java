package io.archipelago.coordinator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The guards that make a near-duplicate a miss when what it changes changes the answer. */
class ParaphraseGuardTest {

    @Test
    void paraphrasesThatChangeNothingThatMattersAreSafe() {
        assertThat(ParaphraseGuard.safe("user: What is the capital of France?",
                "user: Tell me the capital of France.")).isTrue();
        assertThat(ParaphraseGuard.safe("user: how do I boil an egg", "user: How should I boil an egg?")).isTrue();
        assertThat(ParaphraseGuard.safe("user: Explain photosynthesis in 3 sentences",
                "user: Describe photosynthesis in 3 sentences")).isTrue();
    }

    @Test
    void aDifferentNamedEntityIsAMiss() {
        assertThat(ParaphraseGuard.refusal("user: What is the capital of France?",
                "user: What is the capital of Germany?")).isEqualTo("entities");
        assertThat(ParaphraseGuard.safe("user: Who founded Microsoft?", "user: Who founded Apple?")).isFalse();
        assertThat(ParaphraseGuard.safe("user: Paris facts please", "user: London facts please")).isFalse();
    }

    @Test
    void aDifferentNumberIsAMiss() {
        assertThat(ParaphraseGuard.refusal("user: What is 17 times 23?", "user: What is 17 times 24?"))
                .isEqualTo("numbers");
        assertThat(ParaphraseGuard.safe("user: give me three ideas", "user: give me five ideas")).isFalse();
        assertThat(ParaphraseGuard.safe("user: convert 1,000 euros", "user: convert 1000 euros")).isTrue();
    }

    @Test
    void aNegationIsAMiss() {
        assertThat(ParaphraseGuard.refusal("user: Is coffee good for you?", "user: Is coffee not good for you?"))
                .isEqualTo("negation");
        assertThat(ParaphraseGuard.safe("user: why does it rain", "user: why doesn't it rain")).isFalse();
        assertThat(ParaphraseGuard.safe("user: recipes with nuts", "user: recipes without nuts")).isFalse();
    }

    @Test
    void differentCodeIsAMiss() {
        assertThat(ParaphraseGuard.refusal("user: what does `x = a + b;` do", "user: what does `x = a - b;` do"))
                .isEqualTo("code");
        assertThat(ParaphraseGuard.safe("user: fix this:\n```\nint f() { return 1; }\n```",
                "user: please fix this:\n```\nint f() { return 2; }\n```")).isFalse();
        assertThat(ParaphraseGuard.safe("user: explain `map()`", "user: what does `map()` do")).isTrue();
    }
}
