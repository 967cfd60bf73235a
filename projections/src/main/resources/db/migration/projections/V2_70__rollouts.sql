-- Rollouts: one row per rollout (its metric, status and winner), one per variant (its weight from the latest decision
-- and the tallies of its jobs as consumers saw them: completed or failed, time to first token, total time, feedback
-- scores), and one per decision with the statistics it was taken on. Rebuilt from the Rollout aggregate's events.
CREATE TABLE rollout_view (
    rollout_id          text             PRIMARY KEY,
    metric              text             NOT NULL,
    status              text             NOT NULL,
    winner              text,
    alpha               double precision NOT NULL,
    rollback_alpha      double precision NOT NULL,
    tau                 double precision NOT NULL,
    minimum_per_variant bigint           NOT NULL,
    started_at          timestamptz      NOT NULL,
    updated_at          timestamptz      NOT NULL
);

CREATE TABLE rollout_variant_view (
    rollout_id       text             NOT NULL,
    position         integer          NOT NULL,
    cargo            text             NOT NULL,
    weight           integer          NOT NULL,
    jobs             bigint           NOT NULL,
    failures         bigint           NOT NULL,
    ttft_micros_sum  bigint           NOT NULL,
    ttft_count       bigint           NOT NULL,
    total_micros_sum bigint           NOT NULL,
    feedback_count   bigint           NOT NULL,
    feedback_sum     double precision NOT NULL,
    CONSTRAINT rollout_variant_view_pk PRIMARY KEY (rollout_id, cargo)
);

CREATE TABLE rollout_decision_view (
    rollout_id       text             NOT NULL,
    verdict          text             NOT NULL,
    variant          text             NOT NULL,
    difference       double precision NOT NULL,
    variance         double precision NOT NULL,
    likelihood_ratio double precision NOT NULL,
    p_value          double precision NOT NULL,
    reason           text             NOT NULL,
    decided_at       timestamptz      NOT NULL,
    CONSTRAINT rollout_decision_view_pk PRIMARY KEY (rollout_id, variant, verdict)
);
