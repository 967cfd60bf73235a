-- A publisher's signing keys over time: each registered or rotated key from when it signs, and when a rotation
-- retired it (NULL while it is the current key). Rebuilt from PublisherRegistered and PublisherKeyRotated.
CREATE TABLE registry_publisher_key (
    publisher   text        NOT NULL,
    key_id      text        NOT NULL,
    signing_key text        NOT NULL,
    since       timestamptz NOT NULL,
    retired_at  timestamptz,
    CONSTRAINT registry_publisher_key_pk PRIMARY KEY (publisher, key_id)
);
