package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whose a job, an Island or an account is. Islands and accounts are asked of the {@link Registry}, which knows them
 * the moment their first command commits (a read model may not have seen it yet); jobs are read from the job read
 * model and from claims on job ids (see {@code job_claim}), because a job's input and output are used by id before
 * its bid exists.
 */
@Component
final class Ownership {

    private final Registry registry;
    private final JdbcClient jdbc;
    private final Clock clock;

    Ownership(Registry registry, JdbcClient jdbc, Clock clock) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether {@code account} was opened: its aggregate exists. */
    boolean accountOpen(AccountId account) {
        return registry.accountOpen(account);
    }

    /** The owner of Island {@code islandId}; empty when it is not registered. */
    Optional<String> islandOwner(String islandId) {
        return registry.islandOwner(islandId);
    }

    /** Whether {@code account} is the one account that submitted or claimed job {@code jobId}. */
    boolean ownsJob(String jobId, AccountId account) {
        Set<String> owners = jobOwners(jobId);
        return owners.equals(Set.of(account.value()));
    }

    /**
     * Whether job id {@code jobId} is {@code account}'s: it was, or nobody else had used it and it is now claimed
     * for {@code account}. Two accounts claiming at once: one wins, in PostgreSQL.
     */
    boolean claimJob(String jobId, AccountId account) {
        Set<String> owners = jobOwners(jobId);
        if (!Set.of(account.value()).containsAll(owners)) {
            return false;
        }
        jdbc.sql("INSERT INTO job_claim (job_id, account_id, claimed_at) VALUES (:job, :account, :at) "
                        + "ON CONFLICT (job_id) DO NOTHING")
                .param("job", jobId)
                .param("account", account.value())
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        return ownsJob(jobId, account);
    }

    /**
     * Claims {@code jobId}, an id its door just made, for {@code account} in one statement; only when the id was
     * already claimed does it look further, and then it is {@code account}'s only if it already was.
     */
    boolean claimNewJob(String jobId, AccountId account) {
        int claimed = jdbc.sql("INSERT INTO job_claim (job_id, account_id, claimed_at) VALUES (:job, :account, :at) "
                        + "ON CONFLICT (job_id) DO NOTHING")
                .param("job", jobId)
                .param("account", account.value())
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        return claimed == 1 || ownsJob(jobId, account);
    }

    private Set<String> jobOwners(String jobId) {
        Set<String> owners = new HashSet<>(jdbc.sql("SELECT DISTINCT consumer FROM job_view WHERE job_id = :job")
                .param("job", jobId).query(String.class).list());
        owners.addAll(jdbc.sql("SELECT account_id FROM job_claim WHERE job_id = :job")
                .param("job", jobId).query(String.class).list());
        return owners;
    }
}
