-- The Cargo registry (publisher and market events): publishers with their tier and its history, published
-- versions with their manifest, signature and execution counts, and the job -> version map that attributes
-- outcomes. Each stream's last applied sequence guards against re-delivery.
CREATE TABLE registry_publisher (
    publisher     text PRIMARY KEY,
    name          text        NOT NULL,
    tier          text        NOT NULL,
    signing_key   text        NOT NULL,
    registered_at timestamptz NOT NULL,
    last_sequence bigint      NOT NULL
);

CREATE TABLE registry_tier_change (
    publisher  text        NOT NULL,
    sequence   bigint      NOT NULL,
    from_tier  text        NOT NULL,
    to_tier    text        NOT NULL,
    reason     text        NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (publisher, sequence)
);

CREATE TABLE registry_cargo_stream (
    cargo         text PRIMARY KEY,
    last_sequence bigint NOT NULL
);

CREATE TABLE registry_version (
    cargo                   text        NOT NULL,
    version                 text        NOT NULL,
    publisher               text        NOT NULL,
    repository              text        NOT NULL,
    digest                  text        NOT NULL,
    unit                    text        NOT NULL,
    runtime                 text        NOT NULL,
    ram_mib                 bigint      NOT NULL,
    vram_mib                bigint      NOT NULL,
    cores                   integer     NOT NULL,
    quantizations           text        NOT NULL,
    license                 text        NOT NULL,
    royalty_micro_credits   bigint      NOT NULL,
    status                  text        NOT NULL,
    status_reason           text,
    signature_payload       text        NOT NULL,
    signature               text        NOT NULL,
    signing_key             text        NOT NULL,
    executions              bigint      NOT NULL,
    successes               bigint      NOT NULL,
    failures                bigint      NOT NULL,
    timeouts                bigint      NOT NULL,
    units                   bigint      NOT NULL,
    royalties_micro_credits bigint      NOT NULL,
    published_at            timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (cargo, version)
);
CREATE INDEX registry_version_publisher ON registry_version (publisher);

CREATE TABLE registry_job (
    job_id  text PRIMARY KEY,
    cargo   text NOT NULL,
    version text NOT NULL
);

-- One review per account and version; an edit replaces it.
CREATE TABLE registry_review (
    cargo       text        NOT NULL,
    version     text        NOT NULL,
    reviewer    text        NOT NULL,
    stars       integer     NOT NULL,
    complaint   boolean     NOT NULL,
    text        text        NOT NULL,
    edition     integer     NOT NULL,
    reviewed_at timestamptz NOT NULL,
    PRIMARY KEY (cargo, version, reviewer)
);
