-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'MARKETER', 'VIEWER');

-- CreateEnum
CREATE TYPE "SegmentStatus" AS ENUM ('ACTIVE', 'PAUSED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('SCHEDULE', 'CRON_ROUTE', 'MANUAL', 'DEFINITION_CHANGE', 'DATA_CHANGE');

-- CreateEnum
CREATE TYPE "MembershipChange" AS ENUM ('ENTERED', 'LEFT');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "must_change_password" BOOLEAN NOT NULL DEFAULT false,
    "last_sign_in_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" INTEGER,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "ip" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "datasets" (
    "source" TEXT NOT NULL,
    "shift_seconds" BIGINT NOT NULL,
    "last_file" TEXT,
    "last_rows" INTEGER,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("source")
);

-- CreateTable
CREATE TABLE "profiles" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "email" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "country" TEXT,
    "city" TEXT,
    "email_consent" BOOLEAN,
    "traits" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "order_count" INTEGER NOT NULL DEFAULT 0,
    "total_spent" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "cancellation_count" INTEGER NOT NULL DEFAULT 0,
    "first_order_at" TIMESTAMPTZ(3),
    "last_order_at" TIMESTAMPTZ(3),
    "last_activity_at" TIMESTAMPTZ(3),

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "revenue" DECIMAL(14,2),
    "properties" JSONB NOT NULL DEFAULT '{}',
    "dedupe_key" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segments" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rules" JSONB NOT NULL,
    "status" "SegmentStatus" NOT NULL DEFAULT 'ACTIVE',
    "version" INTEGER NOT NULL DEFAULT 1,
    "member_count" INTEGER NOT NULL DEFAULT 0,
    "last_evaluated_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_memberships" (
    "segment_id" INTEGER NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "run_id" INTEGER,

    CONSTRAINT "segment_memberships_pkey" PRIMARY KEY ("segment_id","profile_id")
);

-- CreateTable
CREATE TABLE "segment_membership_changes" (
    "id" BIGSERIAL NOT NULL,
    "segment_id" INTEGER NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "change" "MembershipChange" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "run_id" INTEGER NOT NULL,
    "definition_version" INTEGER NOT NULL,

    CONSTRAINT "segment_membership_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_runs" (
    "id" SERIAL NOT NULL,
    "trigger" "RunTrigger" NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'RUNNING',
    "clock" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "segment_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_run_results" (
    "run_id" INTEGER NOT NULL,
    "segment_id" INTEGER NOT NULL,
    "members" INTEGER NOT NULL,
    "entered" INTEGER NOT NULL,
    "left" INTEGER NOT NULL,
    "ms" INTEGER NOT NULL,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segment_run_results_pkey" PRIMARY KEY ("run_id","segment_id")
);

-- CreateTable
CREATE TABLE "audiences" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rules" JSONB NOT NULL,
    "columns" JSONB NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audiences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audience_versions" (
    "id" SERIAL NOT NULL,
    "audience_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "columns" JSONB NOT NULL,
    "row_count" INTEGER NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audience_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audience_snapshot_rows" (
    "version_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "cells" TEXT[],

    CONSTRAINT "audience_snapshot_rows_pkey" PRIMARY KEY ("version_id","row_no")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_at_idx" ON "audit_log"("entity_type", "entity_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE UNIQUE INDEX "profiles_external_id_key" ON "profiles"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "profiles_email_key" ON "profiles"("email");

-- CreateIndex
CREATE INDEX "profiles_country_idx" ON "profiles"("country");

-- CreateIndex
CREATE INDEX "profiles_last_order_at_idx" ON "profiles"("last_order_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_dedupe_key_key" ON "events"("dedupe_key");

-- CreateIndex
CREATE INDEX "events_profile_id_type_occurred_at_idx" ON "events"("profile_id", "type", "occurred_at");

-- CreateIndex
CREATE INDEX "segment_memberships_profile_id_idx" ON "segment_memberships"("profile_id");

-- CreateIndex
CREATE INDEX "segment_membership_changes_segment_id_at_idx" ON "segment_membership_changes"("segment_id", "at");

-- CreateIndex
CREATE INDEX "segment_membership_changes_profile_id_at_idx" ON "segment_membership_changes"("profile_id", "at");

-- CreateIndex
CREATE INDEX "segment_membership_changes_run_id_idx" ON "segment_membership_changes"("run_id");

-- CreateIndex
CREATE INDEX "segment_runs_started_at_idx" ON "segment_runs"("started_at");

-- CreateIndex
CREATE INDEX "segment_run_results_segment_id_at_idx" ON "segment_run_results"("segment_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "audience_versions_audience_id_number_key" ON "audience_versions"("audience_id", "number");

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_memberships" ADD CONSTRAINT "segment_memberships_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_memberships" ADD CONSTRAINT "segment_memberships_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_membership_changes" ADD CONSTRAINT "segment_membership_changes_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_membership_changes" ADD CONSTRAINT "segment_membership_changes_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "segment_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_run_results" ADD CONSTRAINT "segment_run_results_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "segment_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_run_results" ADD CONSTRAINT "segment_run_results_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audiences" ADD CONSTRAINT "audiences_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audience_versions" ADD CONSTRAINT "audience_versions_audience_id_fkey" FOREIGN KEY ("audience_id") REFERENCES "audiences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audience_versions" ADD CONSTRAINT "audience_versions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audience_snapshot_rows" ADD CONSTRAINT "audience_snapshot_rows_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "audience_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Custom SQL (not expressible in the Prisma schema) -------------------------------------------

-- The run lock: at most one evaluation run is RUNNING at any time, across processes and servers.
CREATE UNIQUE INDEX "segment_runs_one_running" ON "segment_runs" ((true)) WHERE "status" = 'RUNNING';

-- Frozen snapshots never change. Rows may only go when a whole version is deleted on purpose,
-- which sets tagwise.deleting_snapshot for its transaction.
CREATE FUNCTION "tagwise_refuse_snapshot_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('tagwise.deleting_snapshot', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audience snapshots are immutable (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "audience_snapshot_rows_immutable"
  BEFORE UPDATE OR DELETE ON "audience_snapshot_rows"
  FOR EACH ROW EXECUTE FUNCTION "tagwise_refuse_snapshot_change"();

CREATE TRIGGER "audience_versions_immutable"
  BEFORE UPDATE OR DELETE ON "audience_versions"
  FOR EACH ROW EXECUTE FUNCTION "tagwise_refuse_snapshot_change"();

CREATE TRIGGER "audience_snapshot_rows_no_truncate"
  BEFORE TRUNCATE ON "audience_snapshot_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "tagwise_refuse_snapshot_change"();
