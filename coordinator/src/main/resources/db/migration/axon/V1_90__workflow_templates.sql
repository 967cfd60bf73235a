-- Saved workflow templates: a workflow body with declared parameters that its account runs by name
-- (POST /workflow-templates/{name}/runs). A template is the account's own; running one submits a Workflow aggregate.
CREATE TABLE workflow_template (
    account_id text        NOT NULL,
    name       text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, name)
);
