-- A container's health (State.Health: Status, FailingStreak, Log) as JSON, or NULL when it has no
-- healthcheck. Its own column, not part of the state JSON: the health monitor rewrites it after
-- every probe without the container's lock, and must never overwrite a state transition.
ALTER TABLE containers ADD COLUMN health TEXT;
