package io.archipelago.projections.registry;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.CargoVersionDeprecated;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.CargoVersionReviewed;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.market.api.VersionStatus;
import io.archipelago.exchange.publisher.api.KeyId;
import io.archipelago.exchange.publisher.api.PublisherKeyRotated;
import io.archipelago.exchange.publisher.api.PublisherRegistered;
import io.archipelago.exchange.publisher.api.PublisherTierChanged;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.RebuildMemory;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the registry tables: {@code registry_publisher} and {@code registry_tier_change} from the publishers'
 * events, {@code registry_version} from the markets' (published, deprecated, yanked, and each execution of a version:
 * success, failure, or a timeout when its Island lost the job), with {@code registry_job} mapping each job to the
 * version it ran. An event no later than its stream's last applied one is a re-delivery and changes nothing.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class RegistryProjection {

    private final JdbcClient jdbc;

    RegistryProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE registry_publisher, registry_publisher_key, registry_tier_change, registry_cargo_stream, "
                + "registry_version, registry_job, registry_review").update();
    }

    @EventHandler
    void on(PublisherRegistered event, @SequenceNumber long sequence) {
        jdbc.sql("""
                INSERT INTO registry_publisher (publisher, name, tier, signing_key, registered_at, last_sequence)
                VALUES (:publisher, :name, :tier, :key, :at, :sequence)
                ON CONFLICT (publisher) DO NOTHING""")
                .param("publisher", event.publisher().value())
                .param("name", event.name())
                .param("tier", event.tier().name())
                .param("key", event.signingKey())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
        jdbc.sql("""
                INSERT INTO registry_publisher_key (publisher, key_id, signing_key, since)
                VALUES (:publisher, :keyId, :key, :at) ON CONFLICT (publisher, key_id) DO NOTHING""")
                .param("publisher", event.publisher().value())
                .param("keyId", KeyId.of(event.signingKey()).value())
                .param("key", event.signingKey())
                .param("at", utc(event.at()))
                .update();
    }

    @EventHandler
    void on(PublisherKeyRotated event, @SequenceNumber long sequence) {
        jdbc.sql("""
                UPDATE registry_publisher SET signing_key = :key, last_sequence = :sequence
                WHERE publisher = :publisher AND last_sequence < :sequence""")
                .param("key", event.signingKey())
                .param("publisher", event.publisher().value())
                .param("sequence", sequence)
                .update();
        jdbc.sql("""
                UPDATE registry_publisher_key SET retired_at = :at
                WHERE publisher = :publisher AND key_id = :retired AND retired_at IS NULL""")
                .param("at", utc(event.at()))
                .param("publisher", event.publisher().value())
                .param("retired", event.retiredKeyId().value())
                .update();
        jdbc.sql("""
                INSERT INTO registry_publisher_key (publisher, key_id, signing_key, since)
                VALUES (:publisher, :keyId, :key, :at) ON CONFLICT (publisher, key_id) DO NOTHING""")
                .param("publisher", event.publisher().value())
                .param("keyId", event.keyId().value())
                .param("key", event.signingKey())
                .param("at", utc(event.at()))
                .update();
    }

    @EventHandler
    void on(PublisherTierChanged event, @SequenceNumber long sequence) {
        int applied = jdbc.sql("""
                UPDATE registry_publisher SET tier = :tier, last_sequence = :sequence
                WHERE publisher = :publisher AND last_sequence < :sequence""")
                .param("tier", event.to().name())
                .param("publisher", event.publisher().value())
                .param("sequence", sequence)
                .update();
        if (applied == 1) {
            jdbc.sql("""
                    INSERT INTO registry_tier_change (publisher, sequence, from_tier, to_tier, reason, changed_at)
                    VALUES (:publisher, :sequence, :from, :to, :reason, :at)""")
                    .param("publisher", event.publisher().value())
                    .param("sequence", sequence)
                    .param("from", event.from().name())
                    .param("to", event.to().name())
                    .param("reason", event.reason())
                    .param("at", utc(event.at()))
                    .update();
        }
    }

    @EventHandler
    void on(CargoVersionPublished event, @SequenceNumber long sequence) {
        if (!advance(event.cargo(), sequence)) {
            return;
        }
        VersionManifest manifest = event.manifest();
        jdbc.sql("""
                INSERT INTO registry_version (cargo, version, publisher, repository, digest, unit, runtime, ram_mib,
                    vram_mib, cores, quantizations, license, royalty_micro_credits, status, signature_payload,
                    signature, signing_key, executions, successes, failures, timeouts, units,
                    royalties_micro_credits, published_at, updated_at)
                VALUES (:cargo, :version, :publisher, :repository, :digest, :unit, :runtime, :ram, :vram, :cores,
                    :quantizations, :license, :royalty, :status, :payload, :signature, :key, 0, 0, 0, 0, 0, 0, :at,
                    :at)""")
                .param("cargo", event.cargo().value())
                .param("version", event.version())
                .param("publisher", event.publisher().value())
                .param("repository", event.image().repository())
                .param("digest", event.image().digest())
                .param("unit", manifest.unit().name())
                .param("runtime", manifest.runtime())
                .param("ram", manifest.resources().ramMib())
                .param("vram", manifest.resources().vramMib())
                .param("cores", manifest.resources().cores())
                .param("quantizations", String.join(",", manifest.quantizations()))
                .param("license", manifest.license())
                .param("royalty", manifest.royalty().microCredits())
                .param("status", VersionStatus.ACTIVE.name())
                .param("payload", event.signature().payload())
                .param("signature", event.signature().signature())
                .param("key", event.signingKey())
                .param("at", utc(event.at()))
                .update();
    }

    @EventHandler
    void on(CargoVersionDeprecated event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), sequence)) {
            mark(event.cargo(), event.version(), VersionStatus.DEPRECATED, event.reason(), event.at());
        }
    }

    @EventHandler
    void on(CargoVersionYanked event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), sequence)) {
            mark(event.cargo(), event.version(), VersionStatus.YANKED, event.reason(), event.at());
        }
    }

    @EventHandler
    void on(CargoVersionReviewed event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), sequence)) {
            jdbc.sql("""
                    INSERT INTO registry_review (cargo, version, reviewer, stars, complaint, text, edition, reviewed_at)
                    VALUES (:cargo, :version, :reviewer, :stars, :complaint, :text, :edition, :at)
                    ON CONFLICT (cargo, version, reviewer) DO UPDATE SET stars = :stars, complaint = :complaint,
                        text = :text, edition = :edition, reviewed_at = :at""")
                    .param("cargo", event.cargo().value())
                    .param("version", event.version())
                    .param("reviewer", event.reviewer().value())
                    .param("stars", event.stars())
                    .param("complaint", event.complaint())
                    .param("text", event.text())
                    .param("edition", event.edition())
                    .param("at", utc(event.at()))
                    .update();
        }
    }

    @EventHandler
    void on(JobVersionAssigned event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), sequence)) {
            jdbc.sql("""
                    INSERT INTO registry_job (job_id, cargo, version) VALUES (:job, :cargo, :version)
                    ON CONFLICT (job_id) DO UPDATE SET cargo = :cargo, version = :version""")
                    .param("job", event.jobId().value())
                    .param("cargo", event.cargo().value())
                    .param("version", event.version())
                    .update();
            mirror().ifPresent(jobs -> jobs.assigned(event.jobId().value()));
        }
    }

    @EventHandler
    void on(JobCompleted event, @SequenceNumber long sequence) {
        ended(event.cargo(), event.jobId(), sequence, "successes", event.units(), event.royalty().value(),
                event.at());
    }

    @EventHandler
    void on(JobCancelled event, @SequenceNumber long sequence) {
        // the consumer left: no verdict on the Cargo, but the units it ran and the royalty they paid count
        ended(event.cargo(), event.jobId(), sequence, null, event.units(), event.royalty().value(), event.at());
    }

    @EventHandler
    void on(JobFailed event, @SequenceNumber long sequence) {
        ended(event.cargo(), event.jobId(), sequence, "failures", 0, 0, event.at());
    }

    @EventHandler
    void on(JobReassigned event, @SequenceNumber long sequence) {
        ended(event.cargo(), event.jobId(), sequence, "timeouts", 0, 0, event.at());
    }

    /** Counts a job's end against the version it ran, if it ran one; {@code outcome} names the counter, if any. */
    private void ended(CargoType cargo, JobId jobId, long sequence, @Nullable String outcome, long units, long royalty,
                       Instant at) {
        if (!jobRunsAVersion(jobId) || !advance(cargo, sequence)) {
            return;
        }
        String counter = outcome == null ? "" : ", " + outcome + " = " + outcome + " + 1";
        String execution = outcome == null ? "" : ", executions = executions + 1";
        jdbc.sql("UPDATE registry_version v SET units = v.units + :units, "
                        + "royalties_micro_credits = v.royalties_micro_credits + :royalty, updated_at = :at"
                        + counter + execution
                        + " FROM registry_job j WHERE j.job_id = :job AND v.cargo = j.cargo AND v.version = j.version")
                .param("units", units)
                .param("royalty", royalty)
                .param("at", utc(at))
                .param("job", jobId.value())
                .update();
        jdbc.sql("DELETE FROM registry_job WHERE job_id = :job").param("job", jobId.value()).update();
        mirror().ifPresent(jobs -> jobs.ended(jobId.value()));
    }

    /** Asks the table, or a rebuild's mirror of it (one query per job's end is what bound the rebuild). */
    private boolean jobRunsAVersion(JobId jobId) {
        Optional<RegistryJobs> mirror = mirror();
        if (mirror.isPresent()) {
            return mirror.get().runsAVersion(jobId.value());
        }
        return jdbc.sql("SELECT 1 FROM registry_job WHERE job_id = :job").param("job", jobId.value())
                .query(Integer.class).optional().isPresent();
    }

    private static Optional<RegistryJobs> mirror() {
        return RebuildMemory.current().map(memory -> memory.state(RegistryJobs.class, RegistryJobs::new));
    }

    private void mark(CargoType cargo, String version, VersionStatus status, String reason, Instant at) {
        jdbc.sql("""
                UPDATE registry_version SET status = :status, status_reason = :reason, updated_at = :at
                WHERE cargo = :cargo AND version = :version""")
                .param("status", status.name())
                .param("reason", reason)
                .param("at", utc(at))
                .param("cargo", cargo.value())
                .param("version", version)
                .update();
    }

    /** Moves the Cargo type's stream to {@code sequence}; false when that event was applied already. */
    private boolean advance(CargoType cargo, long sequence) {
        return jdbc.sql("""
                INSERT INTO registry_cargo_stream (cargo, last_sequence) VALUES (:cargo, :sequence)
                ON CONFLICT (cargo) DO UPDATE SET last_sequence = :sequence
                WHERE registry_cargo_stream.last_sequence < :sequence""")
                .param("cargo", cargo.value())
                .param("sequence", sequence)
                .update() == 1;
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
