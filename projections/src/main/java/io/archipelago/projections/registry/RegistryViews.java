package io.archipelago.projections.registry;

import io.archipelago.projections.registry.VersionView.Signature;
import io.archipelago.exchange.publisher.api.KeyId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the registry: versions searched by their manifest, publisher tier, price and reputation; publishers. */
@Component
public final class RegistryViews {

    /** The most versions one search returns. */
    public static final int MAX_RESULTS = 200;

    private static final String SELECT = """
            SELECT v.*, p.name AS publisher_name, p.tier AS publisher_tier,
                   (SELECT COUNT(*) FROM registry_review r WHERE r.cargo = v.cargo AND r.version = v.version)
                       AS ratings,
                   (SELECT COALESCE(SUM(stars), 0) FROM registry_review r
                    WHERE r.cargo = v.cargo AND r.version = v.version) AS stars,
                   (SELECT COUNT(*) FROM registry_review r
                    WHERE r.cargo = v.cargo AND r.version = v.version AND r.complaint) AS complaints
            FROM registry_version v JOIN registry_publisher p ON p.publisher = v.publisher
            """;

    private final JdbcClient jdbc;

    RegistryViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What a registry search asks for; every criterion is optional. {@code type} is a Cargo type or a prefix of one
     * ({@code llm.chat}); the resource bounds are what an Island has, so a version needing more is left out;
     * yanked versions show only when {@code includeYanked}.
     */
    public record Search(@Nullable String type, @Nullable String runtime, @Nullable String tier,
                         @Nullable Double minRating, @Nullable Long maxRoyaltyMicroCredits, @Nullable Long maxRamMib,
                         @Nullable Long maxVramMib, @Nullable Integer maxCores, @Nullable String quantization,
                         boolean includeYanked) {
    }

    /** The versions matching {@code search}, best ranked first ({@link VersionView#rankScore()}), then newest. */
    public List<VersionView> search(Search search) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        if (search.type() != null) {
            where.append(" AND (v.cargo = :type OR v.cargo LIKE :prefix)");
        }
        if (search.runtime() != null) {
            where.append(" AND v.runtime = :runtime");
        }
        if (search.tier() != null) {
            where.append(" AND p.tier = :tier");
        }
        if (search.maxRoyaltyMicroCredits() != null) {
            where.append(" AND v.royalty_micro_credits <= :royalty");
        }
        if (search.maxRamMib() != null) {
            where.append(" AND v.ram_mib <= :ram");
        }
        if (search.maxVramMib() != null) {
            where.append(" AND v.vram_mib <= :vram");
        }
        if (search.maxCores() != null) {
            where.append(" AND v.cores <= :cores");
        }
        if (!search.includeYanked()) {
            where.append(" AND v.status <> 'YANKED'");
        }
        var statement = jdbc.sql(SELECT + where + " ORDER BY v.published_at DESC, v.cargo, v.version");
        if (search.type() != null) {
            statement = statement.param("type", search.type()).param("prefix", escape(search.type()) + ".%");
        }
        if (search.runtime() != null) {
            statement = statement.param("runtime", search.runtime());
        }
        if (search.tier() != null) {
            statement = statement.param("tier", search.tier().toUpperCase(java.util.Locale.ROOT));
        }
        if (search.maxRoyaltyMicroCredits() != null) {
            statement = statement.param("royalty", search.maxRoyaltyMicroCredits());
        }
        if (search.maxRamMib() != null) {
            statement = statement.param("ram", search.maxRamMib());
        }
        if (search.maxVramMib() != null) {
            statement = statement.param("vram", search.maxVramMib());
        }
        if (search.maxCores() != null) {
            statement = statement.param("cores", search.maxCores());
        }
        return statement.query((row, number) -> view(row)).list().stream()
                .filter(view -> search.minRating() == null || view.reputation() >= search.minRating())
                .filter(view -> search.quantization() == null || view.quantizations().contains(search.quantization()))
                .sorted(Comparator.comparingDouble(VersionView::rankScore).reversed())
                .limit(MAX_RESULTS)
                .toList();
    }

    /** One version of a Cargo type, yanked or not. */
    public Optional<VersionView> find(String cargo, String version) {
        return jdbc.sql(SELECT + " WHERE v.cargo = :cargo AND v.version = :version")
                .param("cargo", cargo)
                .param("version", version)
                .query((row, number) -> view(row))
                .optional();
    }

    /** A publisher, its tier and every move between tiers with its reason, oldest first. */
    public Optional<PublisherView> publisher(String publisher) {
        List<PublisherView.TierMove> moves = jdbc.sql("""
                SELECT * FROM registry_tier_change WHERE publisher = :publisher ORDER BY sequence""")
                .param("publisher", publisher)
                .query((row, number) -> new PublisherView.TierMove(row.getString("from_tier"),
                        row.getString("to_tier"), row.getString("reason"),
                        row.getObject("changed_at", OffsetDateTime.class).toInstant()))
                .list();
        List<PublisherView.Key> keys = jdbc.sql("""
                SELECT key_id, signing_key, since, retired_at FROM registry_publisher_key
                WHERE publisher = :publisher ORDER BY since, key_id""")
                .param("publisher", publisher)
                .query((row, number) -> new PublisherView.Key(row.getString("key_id"), row.getString("signing_key"),
                        row.getObject("since", OffsetDateTime.class).toInstant(),
                        row.getObject("retired_at") == null ? null
                                : row.getObject("retired_at", OffsetDateTime.class).toInstant()))
                .list();
        return jdbc.sql("""
                SELECT p.*, COALESCE((SELECT SUM(royalties_micro_credits) FROM registry_version v
                                      WHERE v.publisher = p.publisher), 0) AS royalties,
                       (SELECT COUNT(*) FROM registry_version v WHERE v.publisher = p.publisher) AS versions
                FROM registry_publisher p WHERE p.publisher = :publisher""")
                .param("publisher", publisher)
                .query((row, number) -> new PublisherView(row.getString("publisher"), row.getString("name"),
                        row.getString("tier"), row.getString("signing_key"),
                        KeyId.of(row.getString("signing_key")).value(), keys, row.getLong("versions"),
                        row.getLong("royalties"), row.getObject("registered_at", OffsetDateTime.class).toInstant(),
                        moves))
                .optional();
    }

    /** The reviews of one version, newest first. */
    public List<ReviewView> reviews(String cargo, String version) {
        return jdbc.sql("""
                SELECT * FROM registry_review WHERE cargo = :cargo AND version = :version
                ORDER BY reviewed_at DESC, reviewer""")
                .param("cargo", cargo)
                .param("version", version)
                .query((row, number) -> new ReviewView(row.getString("reviewer"), row.getInt("stars"),
                        row.getBoolean("complaint"), row.getString("text"), row.getInt("edition"),
                        row.getObject("reviewed_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    private static String escape(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static VersionView view(ResultSet row) throws SQLException {
        long executions = row.getLong("executions");
        long successes = row.getLong("successes");
        long failures = row.getLong("failures");
        long timeouts = row.getLong("timeouts");
        long ratings = row.getLong("ratings");
        long stars = row.getLong("stars");
        long complaints = row.getLong("complaints");
        String quantizations = row.getString("quantizations");
        String digest = row.getString("digest");
        return new VersionView(row.getString("cargo"), row.getString("version"), row.getString("publisher"),
                row.getString("publisher_name"), row.getString("publisher_tier"),
                row.getString("repository") + "@" + digest, row.getString("unit"), row.getString("runtime"),
                row.getLong("ram_mib"), row.getLong("vram_mib"), row.getInt("cores"),
                quantizations.isEmpty() ? List.of() : Arrays.asList(quantizations.split(",")),
                row.getString("license"), row.getLong("royalty_micro_credits"), row.getString("status"),
                row.getString("status_reason"),
                new Signature(row.getString("signature_payload"), row.getString("signature"),
                        row.getString("signing_key"), KeyId.of(row.getString("signing_key")).value(), true,
                        digest.replace(':', '-') + ".sig"),
                executions, successes, failures, timeouts,
                executions == 0 ? null : Math.round(10_000.0 * successes / executions) / 10_000.0,
                ratings, ratings == 0 ? null : (double) stars / ratings, complaints,
                CargoReputation.score(successes, failures, timeouts, complaints, ratings, stars),
                CargoReputation.lowerBound(successes, failures, timeouts, complaints, ratings, stars),
                row.getLong("units"), row.getLong("royalties_micro_credits"),
                row.getObject("published_at", OffsetDateTime.class).toInstant());
    }
}
