-- Links of the hash chain as lower-case hex, as the auditor prints and compares them: readable in psql and in a
-- report, and the store's binary columns stay those Axon writes.
ALTER TABLE event_chain ALTER COLUMN hash TYPE CHAR(64) USING encode(hash, 'hex');
