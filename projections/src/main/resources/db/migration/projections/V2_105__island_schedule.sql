-- The Island's weekly selling windows in UTC as "start-end" minutes of the week, comma-separated; empty: always.
ALTER TABLE island_view ADD COLUMN schedule text NOT NULL DEFAULT '';
