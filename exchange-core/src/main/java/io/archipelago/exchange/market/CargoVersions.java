package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.VersionStatus;
import io.archipelago.exchange.money.PricePerUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The published versions of one Cargo type and the rule for which one new jobs run, the one place that decides it:
 * the version a rollout selected while it is active and no version was published since; else the newest active
 * version; when none is active, the newest deprecated one; a yanked version never. A job pinned to a version (a
 * rollout's variant) runs that version unless it was yanked, then the rule's. A Cargo type
 * with no published version at all (registered by the operator) runs as registered, with its market's publisher and
 * royalty; once it has versions and every one is yanked, nothing of it is placed until a new version is published.
 */
final class CargoVersions {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /** One version as placement sees it. */
    record Version(String name, AccountId publisher, CargoImage image, PricePerUnit royalty, VersionStatus status) {

        Version withStatus(VersionStatus next) {
            return new Version(name, publisher, image, royalty, next);
        }
    }

    /** In publication order, oldest first. */
    private final Map<String, Version> versions = new LinkedHashMap<>();
    /** The version a rollout's decision selected, until a version is published after it. */
    private @Nullable String selected;

    static void checkName(String version) {
        if (version == null || !NAME.matcher(version).matches()) {
            throw new IllegalArgumentException("a version is 1-64 letters, digits, '.', '_', '+' or '-', starting "
                    + "with a letter or digit, got " + version);
        }
    }

    boolean isEmpty() {
        return versions.isEmpty();
    }

    Optional<Version> find(String name) {
        return Optional.ofNullable(versions.get(name));
    }

    void publish(Version version) {
        versions.put(version.name(), version);
        selected = null;
    }

    void select(String name) {
        selected = name;
    }

    /** Whether {@code name} is the selected version and the rule runs it. */
    boolean runsSelected(String name) {
        return name.equals(selected) && placed().map(Version::name).filter(name::equals).isPresent();
    }

    void mark(String name, VersionStatus status) {
        versions.computeIfPresent(name, (key, version) -> version.withStatus(status));
    }

    /** The version new jobs run, by the rule above; empty when none may be placed (or none was ever published). */
    Optional<Version> placed() {
        Version chosen = selected == null ? null : versions.get(selected);
        if (chosen != null && chosen.status() == VersionStatus.ACTIVE) {
            return Optional.of(chosen);
        }
        Version deprecated = null;
        List<Version> newestFirst = new ArrayList<>(versions.values());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Version version = newestFirst.get(i);
            if (version.status() == VersionStatus.ACTIVE) {
                return Optional.of(version);
            }
            if (version.status() == VersionStatus.DEPRECATED && deprecated == null) {
                deprecated = version;
            }
        }
        return Optional.ofNullable(deprecated);
    }

    /** The version a job pinned to {@code pin} (null: none) runs: the pinned one unless yanked, else the rule's. */
    Optional<Version> forJob(@Nullable String pin) {
        Version pinned = pin == null ? null : versions.get(pin);
        if (pinned != null && pinned.status() != VersionStatus.YANKED) {
            return Optional.of(pinned);
        }
        return placed();
    }

    /** Whether jobs may be placed at all: a Cargo type without versions may; one with versions only on one. */
    boolean allowsPlacement() {
        return versions.isEmpty() || placed().isPresent();
    }

    /** The royalty per unit new jobs pay: the placed version's, else {@code registered}. */
    PricePerUnit royalty(PricePerUnit registered) {
        return placed().map(Version::royalty).orElse(registered);
    }

    /** A canonical rendering for the market's state digest. */
    String fingerprint() {
        StringBuilder text = new StringBuilder();
        versions.values().forEach(version -> text.append("version ").append(version).append('\n'));
        if (selected != null) {
            text.append("selected ").append(selected).append('\n');
        }
        return text.toString();
    }
}
