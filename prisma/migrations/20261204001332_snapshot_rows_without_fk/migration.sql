-- DropForeignKey
ALTER TABLE "audience_snapshot_rows" DROP CONSTRAINT "audience_snapshot_rows_version_id_fkey";

-- Custom SQL ------------------------------------------------------------------------------------

-- The foreign key's per-row check doubled the time of a million-row freeze. Its cascade is kept by
-- this trigger: deleting a version (refused unless tagwise.deleting_snapshot is on for the
-- transaction, see the init migration) deletes its rows in one statement.
CREATE FUNCTION "tagwise_delete_version_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "audience_snapshot_rows" WHERE "version_id" = OLD."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "audience_versions_delete_rows"
  AFTER DELETE ON "audience_versions"
  FOR EACH ROW EXECUTE FUNCTION "tagwise_delete_version_rows"();
