-- Profiles whose data changed and whose segment tags are not re-evaluated yet (lib/segments/pending.ts).
-- Written in the transaction of the change, so a crash between the change and its re-evaluation loses
-- nothing; append-only (no unique key), so writers never wait on a pass that is draining it.
-- CreateTable
CREATE TABLE "profile_evaluation_queue" (
    "id" BIGSERIAL NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_evaluation_queue_pkey" PRIMARY KEY ("id")
);

-- Every row is deleted moments after it is written: vacuum after a fixed number of dead rows, not a
-- share of a table that is nearly always empty (the worker also vacuums it; PGlite has no autovacuum).
ALTER TABLE "profile_evaluation_queue" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);

-- The runs page lists full runs; real-time passes (PROFILE_UPDATE, many per minute under load) would
-- otherwise have to be skipped one by one. Partial, so Prisma's schema cannot express it.
CREATE INDEX "segment_runs_full_runs_idx" ON "segment_runs" ("id") WHERE "trigger" <> 'PROFILE_UPDATE';
