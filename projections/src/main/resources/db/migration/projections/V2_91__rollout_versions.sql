-- Rollouts across the versions of one Cargo type: a variant is a Cargo type and, in such a rollout, one of its versions
-- ('' for a variant that is a whole Cargo type); decisions and the winner name the version too.
ALTER TABLE rollout_variant_view ADD COLUMN version text NOT NULL DEFAULT '';
ALTER TABLE rollout_variant_view DROP CONSTRAINT rollout_variant_view_pk;
ALTER TABLE rollout_variant_view ADD CONSTRAINT rollout_variant_view_pk PRIMARY KEY (rollout_id, cargo, version);

ALTER TABLE rollout_decision_view ADD COLUMN version text NOT NULL DEFAULT '';
ALTER TABLE rollout_decision_view DROP CONSTRAINT rollout_decision_view_pk;
ALTER TABLE rollout_decision_view ADD CONSTRAINT rollout_decision_view_pk
    PRIMARY KEY (rollout_id, variant, version, verdict);

ALTER TABLE rollout_view ADD COLUMN winner_version text;
