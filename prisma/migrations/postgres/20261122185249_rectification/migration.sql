-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "acceptanceRequestedAt" TIMESTAMP(3),
ADD COLUMN     "deadline" TIMESTAMP(3),
ADD COLUMN     "escalationCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "nextReminderAt" TIMESTAMP(3),
ADD COLUMN     "ownerId" INTEGER,
ADD COLUMN     "planMeasures" TEXT,
ADD COLUMN     "planSubmittedAt" TIMESTAMP(3),
ADD COLUMN     "planSupport" TEXT,
ADD COLUMN     "progressPercent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rejectionCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reminderCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "refKey" TEXT,
ADD COLUMN     "updateOnly" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "FindingEvent" (
    "id" SERIAL NOT NULL,
    "findingId" INTEGER NOT NULL,
    "actorId" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "toStatus" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "FindingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderLog" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "findingId" INTEGER NOT NULL,
    "recipientId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "outboxKey" TEXT NOT NULL,

    CONSTRAINT "ReminderLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageRef" (
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageRef_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "FindingEvent_findingId_at_idx" ON "FindingEvent"("findingId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderLog_key_key" ON "ReminderLog"("key");

-- CreateIndex
CREATE INDEX "ReminderLog_findingId_idx" ON "ReminderLog"("findingId");

-- CreateIndex
CREATE INDEX "ReminderLog_outboxKey_idx" ON "ReminderLog"("outboxKey");

-- CreateIndex
CREATE INDEX "Finding_ownerId_status_idx" ON "Finding"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Finding_nextReminderAt_idx" ON "Finding"("nextReminderAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_refKey_idx" ON "OutboxMessage"("refKey");
