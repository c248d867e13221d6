-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "attemptStartedAt" TIMESTAMP(3),
ADD COLUMN     "claimedBy" TEXT;

-- CreateTable
CREATE TABLE "OutboxInstance" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboxInstance_pkey" PRIMARY KEY ("id")
);
