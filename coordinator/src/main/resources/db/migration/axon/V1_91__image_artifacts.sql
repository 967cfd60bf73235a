-- The images of /v1/images/generations: the bytes an Island sent inline in its job output (artifact_part chunks,
-- joined and checked against the reference's size and SHA-256), one row per image of a job, in the order the
-- Island made them. sha256 is the content hash the job's answer names; the row is the job's record of what it
-- produced. A signed URL to an image is valid until its own expiry (archipelago.images.url-ttl), never past the
-- row's expires_at (archipelago.images.retention), after which the sweep deletes the row.
CREATE TABLE image_artifact (
    job_id       text        NOT NULL,
    image_index  integer     NOT NULL,
    account_id   text        NOT NULL,
    cargo        text        NOT NULL,
    sha256       text        NOT NULL,
    content_type text        NOT NULL,
    size_bytes   integer     NOT NULL,
    bytes        bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CONSTRAINT image_artifact_pk PRIMARY KEY (job_id, image_index)
);
CREATE INDEX image_artifact_expires_at ON image_artifact (expires_at);
