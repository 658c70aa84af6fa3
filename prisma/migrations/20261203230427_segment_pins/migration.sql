-- CreateEnum
CREATE TYPE "PinMode" AS ENUM ('IN', 'OUT');

-- CreateTable
CREATE TABLE "segment_pins" (
    "segment_id" INTEGER NOT NULL,
    "profile_id" INTEGER NOT NULL,
    "mode" "PinMode" NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segment_pins_pkey" PRIMARY KEY ("segment_id","profile_id")
);

-- CreateIndex
CREATE INDEX "segment_pins_profile_id_idx" ON "segment_pins"("profile_id");

-- AddForeignKey
ALTER TABLE "segment_pins" ADD CONSTRAINT "segment_pins_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_pins" ADD CONSTRAINT "segment_pins_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_pins" ADD CONSTRAINT "segment_pins_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Custom SQL: a pin always says why (the app trims and checks too; this guards every other writer).
ALTER TABLE "segment_pins" ADD CONSTRAINT "segment_pins_reason_length" CHECK (char_length(btrim("reason")) >= 1 AND char_length("reason") <= 300);
