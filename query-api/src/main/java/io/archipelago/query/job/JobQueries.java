package io.archipelago.query.job;

import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import io.archipelago.query.web.NotFound;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A job from its bid to its settlement. */
@RestController
final class JobQueries {

    private final JobViews jobs;

    JobQueries(JobViews jobs) {
        this.jobs = jobs;
    }

    @GetMapping("/jobs/{jobId}")
    JobView job(@PathVariable String jobId) {
        return jobs.find(jobId).orElseThrow(() -> new NotFound("job " + jobId));
    }
}
