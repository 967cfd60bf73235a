-- The hash chain over the event store, written by the "event-chain" processor: one link per event, in the order the
-- processor received the stream (chain_position 1, 2, 3, ...). hash = SHA-256(previous hash || canonical bytes of
-- the event row), from 32 zero bytes; io.archipelago.projections.chain.EventChain defines the canonical bytes. The
-- auditor recomputes every link from domain_event_entry: an event changed, removed or slipped in behind the chain
-- shows as a broken link. Never rebuilt: it is evidence, not a view.
CREATE TABLE event_chain (
    chain_position   BIGINT       NOT NULL,
    global_index     BIGINT       NOT NULL,
    event_identifier VARCHAR(255) NOT NULL,
    hash             BYTEA        NOT NULL,
    CONSTRAINT event_chain_pk PRIMARY KEY (chain_position),
    CONSTRAINT event_chain_global_index_uk UNIQUE (global_index)
);
