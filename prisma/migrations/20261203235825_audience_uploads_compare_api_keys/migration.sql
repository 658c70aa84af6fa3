-- CreateEnum
CREATE TYPE "VersionSource" AS ENUM ('RULES', 'UPLOAD');

-- AlterTable
ALTER TABLE "audience_versions" ADD COLUMN     "source" "VersionSource" NOT NULL DEFAULT 'RULES',
ADD COLUMN     "upload" JSONB,
ALTER COLUMN "rules" DROP NOT NULL;

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "audience_snapshot_rows_version_id_profile_id_key" ON "audience_snapshot_rows"("version_id", "profile_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Custom SQL ------------------------------------------------------------------------------------

-- A version from rules keeps its rules; an uploaded list keeps its upload record instead.
ALTER TABLE "audience_versions" ADD CONSTRAINT "audience_versions_source_definition"
  CHECK (("source" = 'RULES' AND "rules" IS NOT NULL) OR ("source" = 'UPLOAD' AND "upload" IS NOT NULL));

-- A key always has a (possibly empty) list of scopes.
ALTER TABLE "api_keys" ALTER COLUMN "scopes" SET NOT NULL, ALTER COLUMN "scopes" SET DEFAULT '{}';
