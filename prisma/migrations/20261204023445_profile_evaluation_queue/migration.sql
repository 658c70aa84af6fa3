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

-- The runs page lists full runs; real-time passes (PROFILE_UPDATE, many per minute under load) would
-- otherwise have to be skipped one by one. Partial, so Prisma's schema cannot express it.
CREATE INDEX "segment_runs_full_runs_idx" ON "segment_runs" ("id") WHERE "trigger" <> 'PROFILE_UPDATE';
