-- The chain's links now cover every column of a stored event (its global index, aggregate type, payload revision and
-- meta_data as well) and their heads are signed outside the database (chain-checkpoints.jsonl): the links made before
-- are dropped, and the event-chain processor links the whole store again from its first event. (The read models'
-- own tests migrate without Axon's tables.)
DELETE FROM event_chain;
DO $$
BEGIN
    IF to_regclass('token_entry') IS NOT NULL THEN
        DELETE FROM token_entry WHERE processor_name = 'event-chain';
    END IF;
END
$$;
