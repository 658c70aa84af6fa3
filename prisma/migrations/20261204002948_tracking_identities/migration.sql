-- CreateEnum
CREATE TYPE "IdentityKind" AS ENUM ('anonymous', 'user', 'email');

-- AlterTable
ALTER TABLE "profiles" ADD COLUMN     "anonymous" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "profile_identities" (
    "kind" "IdentityKind" NOT NULL,
    "value" TEXT NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_identities_pkey" PRIMARY KEY ("kind","value")
);

-- CreateTable
CREATE TABLE "profile_merges" (
    "id" SERIAL NOT NULL,
    "survivor_id" INTEGER NOT NULL,
    "merged_profile_id" INTEGER NOT NULL,
    "merged_external_id" TEXT NOT NULL,
    "merged_email" TEXT,
    "reason" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_merges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracking_messages" (
    "message_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "profile_id" INTEGER,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracking_messages_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "profile_identities_profile_id_idx" ON "profile_identities"("profile_id");

-- CreateIndex
CREATE INDEX "profile_merges_survivor_id_at_idx" ON "profile_merges"("survivor_id", "at");

-- AddForeignKey
ALTER TABLE "profile_identities" ADD CONSTRAINT "profile_identities_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profile_merges" ADD CONSTRAINT "profile_merges_survivor_id_fkey" FOREIGN KEY ("survivor_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
