package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import org.springframework.stereotype.Component;

/**
 * Claims on job ids for the doors that make a job's id themselves (the OpenAI door's {@code chatcmpl-...} jobs), so
 * that {@code /jobs/{id}} routes know the job is its account's from the moment the door hands the id out, not only
 * once the job read model has seen its bid.
 */
@Component
public final class JobClaims {

    private final Ownership ownership;

    JobClaims(Ownership ownership) {
        this.ownership = ownership;
    }

    /**
     * Claims {@code jobId}, an id the door just made, for {@code account}.
     *
     * @return false when another account already submitted or claimed it
     */
    public boolean claim(String jobId, AccountId account) {
        return ownership.claimNewJob(jobId, account);
    }
}
