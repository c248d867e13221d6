-- AlterTable
ALTER TABLE "Member" ADD COLUMN "supervisorId" INTEGER;
