-- Custom SQL: the run lock covers full runs only. Per-profile re-evaluations after new data
-- (trigger PROFILE_UPDATE) may run beside a full run; each segment's swap is serialised by a row lock
-- on the segment instead.
DROP INDEX "segment_runs_one_running";
CREATE UNIQUE INDEX "segment_runs_one_running" ON "segment_runs" ((true)) WHERE "status" = 'RUNNING' AND "trigger" <> 'PROFILE_UPDATE';
