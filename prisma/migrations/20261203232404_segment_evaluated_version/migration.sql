-- AlterTable
ALTER TABLE "segments" ADD COLUMN     "evaluated_version" INTEGER;

-- Segments evaluated before this column existed: their last evaluation used their current version
-- unless they were edited while paused, which is rare enough to accept.
UPDATE "segments" SET "evaluated_version" = "version" WHERE "last_evaluated_at" IS NOT NULL;
