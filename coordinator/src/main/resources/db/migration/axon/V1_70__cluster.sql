-- The coordinator nodes sharing this database, as far as the island bridge needs them. Each node with a bridge
-- writes its heartbeat into coordinator_node; a node whose heartbeat is older than the node timeout is no longer live.
-- Every node reads every placement; job_dispatch says which node dispatches each placement of a job (the n-th
-- JobPlaced of the job, counted alike by every node): the first to claim it, or a live node that took it over
-- from one that stopped. Rows go once they are older than any job may run, so nothing stays forever.
CREATE TABLE coordinator_node (
    node_id text        PRIMARY KEY,
    seen_at timestamptz NOT NULL
);

CREATE TABLE job_dispatch (
    job_id     text        NOT NULL,
    placement  integer     NOT NULL,
    node_id    text        NOT NULL,
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (job_id, placement)
);
CREATE INDEX job_dispatch_claimed_at ON job_dispatch (claimed_at);
