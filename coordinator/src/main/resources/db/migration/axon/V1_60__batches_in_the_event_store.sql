-- Batches are Batch aggregates in the event store, their progress a read model (batch_view, batch_item_view,
-- batch_progress in the projections' migrations): the door's own batch tables are no longer written or read.
DROP TABLE batch_event;
DROP TABLE batch_item;
DROP TABLE batch;
