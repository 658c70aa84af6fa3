-- CreateEnum
CREATE TYPE "TraitType" AS ENUM ('text', 'number', 'date', 'boolean');

-- CreateTable
CREATE TABLE "trait_definitions" (
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" "TraitType" NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trait_definitions_pkey" PRIMARY KEY ("key")
);

-- AddForeignKey
ALTER TABLE "trait_definitions" ADD CONSTRAINT "trait_definitions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Typed reads of JSON values (custom traits, event properties), as docs/rules.md defines them.
-- A value of another type reads as NULL, so every comparison with it is false; none of these raises,
-- whatever a profile holds. Single-expression SQL functions, so the planner inlines them.
-- Nested CASEs rather than AND: AND does not fix the order its operands are evaluated in.

CREATE FUNCTION tagwise_json_is_empty(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v IS NULL OR v = 'null'::jsonb OR v = '""'::jsonb OR v = '[]'::jsonb
$$;

CREATE FUNCTION tagwise_json_text(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE jsonb_typeof(v)
    WHEN 'string' THEN NULLIF(v #>> '{}', '')
    WHEN 'number' THEN v #>> '{}'
    WHEN 'boolean' THEN v #>> '{}'
  END
$$;

CREATE FUNCTION tagwise_json_number(v jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE jsonb_typeof(v)
    WHEN 'number' THEN (v #>> '{}')::numeric
    WHEN 'string' THEN CASE WHEN (v #>> '{}') ~ '^-?[0-9]{1,15}(\.[0-9]{1,15})?$' THEN (v #>> '{}')::numeric END
  END
$$;

CREATE FUNCTION tagwise_json_boolean(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE jsonb_typeof(v)
    WHEN 'boolean' THEN (v #>> '{}')::boolean
    WHEN 'string' THEN CASE lower(v #>> '{}') WHEN 'true' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN 'no' THEN false END
  END
$$;

-- 'YYYY-MM-DD' is that day in the workspace zone; an ISO 8601 time needs Z or an offset.
CREATE FUNCTION tagwise_text_instant(s text, zone text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-5]):[0-5][0-9]))?$'
                   AND left(s, 4) <> '0000' THEN
    CASE WHEN substr(s, 9, 2)::int <= extract(day from make_date(left(s, 4)::int, substr(s, 6, 2)::int, 1) + interval '1 month' - interval '1 day') THEN
      CASE WHEN length(s) = 10 THEN (s::date)::timestamp AT TIME ZONE zone ELSE s::timestamptz END
    END
  END
$$;

CREATE FUNCTION tagwise_json_instant(v jsonb, zone text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'string' THEN tagwise_text_instant(v #>> '{}', zone) END
$$;

-- Days from today until the day's next anniversary (0 = today); 29 February falls on 28 February
-- in other years, as adding years to a date does.
CREATE FUNCTION tagwise_days_to_anniversary(d date, today date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN (d + make_interval(years => extract(year from today)::int - extract(year from d)::int))::date >= today
      THEN (d + make_interval(years => extract(year from today)::int - extract(year from d)::int))::date - today
    ELSE (d + make_interval(years => extract(year from today)::int + 1 - extract(year from d)::int))::date - today
  END
$$;
