-- AlterTable
ALTER TABLE "Inspection" ADD COLUMN     "materializedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Inspection_materializedAt_idx" ON "Inspection"("materializedAt");

-- Inspections saved before this migration were written out whole in the submit itself.
UPDATE "Inspection" SET "materializedAt" = "submittedAt";
