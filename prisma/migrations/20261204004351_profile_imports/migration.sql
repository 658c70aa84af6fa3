-- CreateEnum
CREATE TYPE "ProfileImportStatus" AS ENUM ('UPLOADING', 'READY', 'IMPORTING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "profile_imports" (
    "id" SERIAL NOT NULL,
    "file_name" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "delimiter" TEXT NOT NULL,
    "header" TEXT[],
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "status" "ProfileImportStatus" NOT NULL DEFAULT 'UPLOADING',
    "phase" TEXT,
    "column_stats" JSONB,
    "mapping" JSONB,
    "report" JSONB,
    "error" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "profile_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profile_import_rows" (
    "import_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "cells" TEXT[],

    CONSTRAINT "profile_import_rows_pkey" PRIMARY KEY ("import_id","row_no")
);

-- CreateIndex
CREATE INDEX "profile_imports_status_updated_at_idx" ON "profile_imports"("status", "updated_at");

-- AddForeignKey
ALTER TABLE "profile_imports" ADD CONSTRAINT "profile_imports_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profile_import_rows" ADD CONSTRAINT "profile_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "profile_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- How a profile import (lib/import/profiles) reads one CSV cell as `kind`: the JSON value to store,
-- or NULL when the cell is empty or not of that kind. The check before an import and the write use
-- this one definition, so what the check accepts is exactly what is written, and every value written
-- reads back in rules as its type (docs/rules.md, "Custom traits").
-- Two single-expression functions (no FROM), so that the planner inlines them: called once per cell,
-- a function that is not inlined costs a plan execution each time (minutes for a 45,000-row file).
CREATE FUNCTION tagwise_import_typed(kind text, v text) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v IS NULL THEN NULL
    WHEN kind = 'text' THEN to_jsonb(v)
    WHEN kind = 'number' THEN CASE WHEN v ~ '^-?[0-9]{1,15}(\.[0-9]{1,15})?$' THEN to_jsonb(v::numeric) END
    WHEN kind = 'boolean' THEN CASE WHEN lower(v) IN ('true', 'yes', 'y', '1') THEN 'true'::jsonb
                                    WHEN lower(v) IN ('false', 'no', 'n', '0') THEN 'false'::jsonb END
    WHEN kind = 'date' THEN CASE WHEN tagwise_text_instant(v, 'UTC') IS NOT NULL THEN to_jsonb(v) END
    WHEN kind = 'email' THEN CASE WHEN length(v) <= 254 AND v ~ '^[^[:space:]@,;<>]+@[^[:space:]@,;<>]+\.[^[:space:]@,;<>]+$' THEN to_jsonb(lower(v)) END
  END
$$;

CREATE FUNCTION tagwise_import_value(kind text, raw text) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT tagwise_import_typed(kind, NULLIF(btrim(raw, E' \t\r\n'), ''))
$$;
