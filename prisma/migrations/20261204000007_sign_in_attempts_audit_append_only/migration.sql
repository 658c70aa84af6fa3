-- CreateEnum
CREATE TYPE "SignInOutcome" AS ENUM ('SUCCESS', 'FAILURE', 'THROTTLED');

-- DropForeignKey
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_actor_id_fkey";

-- CreateTable
CREATE TABLE "sign_in_attempts" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "email" TEXT NOT NULL,
    "user_id" INTEGER,
    "ip" TEXT,
    "user_agent" TEXT,
    "outcome" "SignInOutcome" NOT NULL,

    CONSTRAINT "sign_in_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sign_in_attempts_email_at_idx" ON "sign_in_attempts"("email", "at");

-- CreateIndex
CREATE INDEX "sign_in_attempts_ip_at_idx" ON "sign_in_attempts"("ip", "at");

-- CreateIndex
CREATE INDEX "sign_in_attempts_user_id_at_idx" ON "sign_in_attempts"("user_id", "at");

-- CreateIndex
CREATE INDEX "sign_in_attempts_at_idx" ON "sign_in_attempts"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_in_attempts" ADD CONSTRAINT "sign_in_attempts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Custom SQL: the audit log is append-only. UPDATE, DELETE and TRUNCATE (also a TRUNCATE ... CASCADE
-- reaching it from users) are refused. The only way past is the transaction-local setting
-- tagwise.test_reset, used by the test helper that empties tables between tests (lib/test/database.ts);
-- no application code sets it (lib/audit.db.test.ts checks that).
CREATE FUNCTION "tagwise_refuse_audit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('tagwise.test_reset', true) = 'on' THEN
    RETURN CASE WHEN TG_LEVEL = 'ROW' THEN OLD ELSE NULL END;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "audit_log_append_only"
  BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "tagwise_refuse_audit_change"();

CREATE TRIGGER "audit_log_no_truncate"
  BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "tagwise_refuse_audit_change"();
