package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.ReviewCargoVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who may review which version of a Cargo type, the one place that decides it: an account that completed a job on
 * that version (a job it only bid for, or that failed, is no experience of it); one review per account and version,
 * which it may edit, but not sooner than {@link ReviewCargoVersion#EDIT_INTERVAL_SECONDS} after the last edition;
 * 1-5 stars and at most {@link ReviewCargoVersion#MAX_TEXT} characters.
 */
final class Reviews {

    private record Edition(int number, Instant at) {
    }

    /** Per version, the accounts that completed a job on it. */
    private final Map<String, Set<AccountId>> ranBy = new HashMap<>();
    /** Per version and reviewer, the last edition of the review. */
    private final Map<String, Edition> editions = new HashMap<>();

    void ran(String version, AccountId consumer) {
        ranBy.computeIfAbsent(version, key -> new HashSet<>()).add(consumer);
    }

    void record(String version, AccountId reviewer, int edition, Instant at) {
        editions.put(key(version, reviewer), new Edition(edition, at));
    }

    /**
     * The edition {@code review} would be, if the rules allow it.
     *
     * @throws IllegalArgumentException when the reviewer never completed a job on the version, or the review is
     *                                  malformed
     * @throws IllegalStateException    when the last edition is too recent
     */
    int check(ReviewCargoVersion review) {
        if (review.stars() < 1 || review.stars() > 5) {
            throw new IllegalArgumentException("a review gives 1 to 5 stars, got " + review.stars());
        }
        if (review.text() == null || review.text().length() > ReviewCargoVersion.MAX_TEXT) {
            throw new IllegalArgumentException("a review's text is at most " + ReviewCargoVersion.MAX_TEXT
                    + " characters");
        }
        if (!ranBy.getOrDefault(review.version(), Set.of()).contains(review.reviewer())) {
            throw new IllegalArgumentException("account " + review.reviewer() + " has no completed job on version "
                    + review.version() + ": only accounts that ran a version review it");
        }
        Edition last = editions.get(key(review.version(), review.reviewer()));
        if (last == null) {
            return 1;
        }
        Instant allowed = last.at().plus(Duration.ofSeconds(ReviewCargoVersion.EDIT_INTERVAL_SECONDS));
        if (review.at().isBefore(allowed)) {
            throw new IllegalStateException("this review was edited at " + last.at() + "; it may be edited again "
                    + "from " + allowed);
        }
        return last.number() + 1;
    }

    String fingerprint() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(ranBy).forEach((version, accounts) -> text.append("ran ").append(version).append(' ')
                .append(new java.util.TreeSet<>(accounts)).append('\n'));
        new TreeMap<>(editions).forEach((key, edition) -> text.append("review ").append(key).append(' ')
                .append(edition).append('\n'));
        return text.toString();
    }

    private static String key(String version, AccountId reviewer) {
        return version + "/" + reviewer;
    }
}
