-- CreateTable
CREATE TABLE "FindingEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "findingId" INTEGER NOT NULL,
    "actorId" INTEGER,
    "at" DATETIME NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "toStatus" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "ReminderLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "findingId" INTEGER NOT NULL,
    "recipientId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "outboxKey" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "MessageRef" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Finding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "inspectionId" INTEGER NOT NULL,
    "itemResultId" INTEGER,
    "dimensionKey" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "responsibleMemberId" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "impact" TEXT,
    "severity" TEXT NOT NULL,
    "evidenceUrls" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "ownerId" INTEGER,
    "planMeasures" TEXT,
    "planSupport" TEXT,
    "planSubmittedAt" DATETIME,
    "deadline" DATETIME,
    "progressPercent" INTEGER NOT NULL DEFAULT 0,
    "acceptanceRequestedAt" DATETIME,
    "rejectionCount" INTEGER NOT NULL DEFAULT 0,
    "reminderCount" INTEGER NOT NULL DEFAULT 0,
    "escalationCount" INTEGER NOT NULL DEFAULT 0,
    "nextReminderAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Finding" ("closedAt", "createdAt", "createdById", "departmentId", "description", "dimensionKey", "evidenceUrls", "id", "impact", "inspectionId", "itemKey", "itemResultId", "responsibleMemberId", "severity", "status", "updatedAt") SELECT "closedAt", "createdAt", "createdById", "departmentId", "description", "dimensionKey", "evidenceUrls", "id", "impact", "inspectionId", "itemKey", "itemResultId", "responsibleMemberId", "severity", "status", "updatedAt" FROM "Finding";
DROP TABLE "Finding";
ALTER TABLE "new_Finding" RENAME TO "Finding";
CREATE INDEX "Finding_departmentId_status_createdAt_idx" ON "Finding"("departmentId", "status", "createdAt");
CREATE INDEX "Finding_responsibleMemberId_status_idx" ON "Finding"("responsibleMemberId", "status");
CREATE INDEX "Finding_ownerId_status_idx" ON "Finding"("ownerId", "status");
CREATE INDEX "Finding_status_createdAt_idx" ON "Finding"("status", "createdAt");
CREATE INDEX "Finding_nextReminderAt_idx" ON "Finding"("nextReminderAt");
CREATE TABLE "new_OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "targetKind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "refKey" TEXT,
    "updateOnly" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_OutboxMessage" ("attempts", "createdAt", "dedupeKey", "id", "lastError", "leaseUntil", "nextAttemptAt", "payload", "platform", "sentAt", "status", "targetId", "targetKind") SELECT "attempts", "createdAt", "dedupeKey", "id", "lastError", "leaseUntil", "nextAttemptAt", "payload", "platform", "sentAt", "status", "targetId", "targetKind" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");
CREATE INDEX "OutboxMessage_refKey_idx" ON "OutboxMessage"("refKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "FindingEvent_findingId_at_idx" ON "FindingEvent"("findingId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderLog_key_key" ON "ReminderLog"("key");

-- CreateIndex
CREATE INDEX "ReminderLog_findingId_idx" ON "ReminderLog"("findingId");

-- CreateIndex
CREATE INDEX "ReminderLog_outboxKey_idx" ON "ReminderLog"("outboxKey");
