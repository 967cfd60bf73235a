package io.archipelago.query.job;

import io.archipelago.projections.ReadYourWrites;
import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import io.archipelago.query.web.NotFound;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A job from its bid to its settlement. A job its client was just told of (its bid acknowledged, its id handed out by
 * the OpenAI door) is answered even while the read models lag: {@link ReadYourWrites} waits for them to pass what
 * was stored when the request came.
 */
@RestController
final class JobQueries {

    private final JobViews jobs;
    private final ReadYourWrites fresh;

    JobQueries(JobViews jobs, ReadYourWrites fresh) {
        this.jobs = jobs;
        this.fresh = fresh;
    }

    @GetMapping("/jobs/{jobId}")
    JobView job(@PathVariable String jobId) {
        return fresh.read(() -> jobs.find(jobId)).orElseThrow(() -> new NotFound("job " + jobId));
    }
}
