-- A batch's bid terms and each item's input, so that a coordinator restarted mid-batch can place the items still
-- waiting and retry the attempts that failed. Null for batches stored before they were kept: those place nothing more.
ALTER TABLE batch ADD COLUMN terms text;
ALTER TABLE batch_item ADD COLUMN input text;
