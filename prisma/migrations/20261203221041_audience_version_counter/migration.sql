-- AlterTable
ALTER TABLE "audiences" ADD COLUMN     "last_version_number" INTEGER NOT NULL DEFAULT 0;

-- Existing audiences continue from their highest version number.
UPDATE "audiences" a SET "last_version_number" = coalesce((SELECT max(v."number") FROM "audience_versions" v WHERE v."audience_id" = a."id"), 0);
