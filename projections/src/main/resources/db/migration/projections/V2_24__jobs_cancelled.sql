-- A consumer who leaves cancels its job (JobCancelled, BidCancelled): the job's row ends CANCELLED.
ALTER TABLE job_view DROP CONSTRAINT job_view_status_ck;
ALTER TABLE job_view ADD CONSTRAINT job_view_status_ck
    CHECK (status IN ('RESTING', 'PLACED', 'STARTED', 'COMPLETED', 'FAILED', 'EXPIRED', 'REJECTED', 'CANCELLED'));
