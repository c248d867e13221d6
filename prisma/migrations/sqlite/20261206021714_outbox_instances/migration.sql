-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "attemptStartedAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "claimedBy" TEXT;

-- CreateTable
CREATE TABLE "OutboxInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL
);
