package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Claims on job ids for the doors that make a job's id themselves (the OpenAI door's {@code chatcmpl-...} jobs), so
 * that {@code /jobs/{id}} routes know the job is its account's from the moment the door hands the id out, not only
 * once the job read model has seen its bid. A job made for a request that holds an {@code Idempotency-Key} is noted on
 * the key too, so that a retry which takes the key over from a dead node knows which job to end.
 */
@Component
public final class JobClaims {

    private final Ownership ownership;
    private final ObjectProvider<IdempotencyKeys> keys;

    JobClaims(Ownership ownership, ObjectProvider<IdempotencyKeys> keys) {
        this.ownership = ownership;
        this.keys = keys;
    }

    /**
     * Claims {@code jobId}, an id the door just made, for {@code account}.
     *
     * @return false when another account already submitted or claimed it
     */
    public boolean claim(String jobId, AccountId account) {
        return ownership.claimNewJob(jobId, account);
    }

    /**
     * Notes {@code jobId} on {@code cargo}'s market, whose bid the current request is about to submit, on the
     * {@code Idempotency-Key} that request holds; nothing when it holds none (or runs on no request's thread).
     */
    public void noteOnKey(CargoType cargo, JobId jobId) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        IdempotencyKeys kept = keys.getIfAvailable();
        if (request != null && kept != null && request.getAttribute(IdempotencyFilter.HELD_ATTRIBUTE,
                RequestAttributes.SCOPE_REQUEST) instanceof IdempotencyFilter.Held held) {
            kept.recordJob(held.scope(), held.key(), cargo.value(), jobId.value());
        }
    }
}
