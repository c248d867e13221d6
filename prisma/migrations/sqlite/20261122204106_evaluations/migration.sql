-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "fallback" TEXT;

-- CreateTable
CREATE TABLE "EvaluationConfigVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EvaluationCycle" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "deadline" DATETIME NOT NULL,
    "configVersionId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedById" INTEGER NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "departmentIds" TEXT NOT NULL DEFAULT '[]'
);

-- CreateTable
CREATE TABLE "EvaluationParticipant" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cycleId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "departmentId" INTEGER,
    "supervisorId" INTEGER,
    "customerFacing" BOOLEAN NOT NULL DEFAULT false,
    "stage" TEXT NOT NULL DEFAULT 'self',
    "selfAt" DATETIME,
    "supervisorAt" DATETIME,
    "reviewedAt" DATETIME,
    "acknowledgedAt" DATETIME,
    "reviewPlan" TEXT,
    "nextGoals" TEXT,
    "overallScore" REAL,
    "grade" TEXT,
    "result" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "nextReminderAt" DATETIME
);

-- CreateTable
CREATE TABLE "EvaluationSubmission" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "participantId" INTEGER NOT NULL,
    "raterKind" TEXT NOT NULL,
    "raterKey" TEXT NOT NULL,
    "raterMemberId" INTEGER,
    "raterLabel" TEXT,
    "scores" TEXT NOT NULL,
    "comments" TEXT NOT NULL DEFAULT '{}',
    "submittedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PeerNomination" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "participantId" INTEGER NOT NULL,
    "peerId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "decidedById" INTEGER,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerInvite" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "participantId" INTEGER NOT NULL,
    "customerName" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReminderLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "findingId" INTEGER,
    "participantId" INTEGER,
    "recipientId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "outboxKey" TEXT NOT NULL
);
INSERT INTO "new_ReminderLog" ("claimedAt", "dueAt", "findingId", "id", "key", "kind", "outboxKey", "recipientId") SELECT "claimedAt", "dueAt", "findingId", "id", "key", "kind", "outboxKey", "recipientId" FROM "ReminderLog";
DROP TABLE "ReminderLog";
ALTER TABLE "new_ReminderLog" RENAME TO "ReminderLog";
CREATE UNIQUE INDEX "ReminderLog_key_key" ON "ReminderLog"("key");
CREATE INDEX "ReminderLog_findingId_idx" ON "ReminderLog"("findingId");
CREATE INDEX "ReminderLog_outboxKey_idx" ON "ReminderLog"("outboxKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationConfigVersion_key_version_key" ON "EvaluationConfigVersion"("key", "version");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationCycle_kind_name_key" ON "EvaluationCycle"("kind", "name");

-- CreateIndex
CREATE INDEX "EvaluationParticipant_cycleId_stage_idx" ON "EvaluationParticipant"("cycleId", "stage");

-- CreateIndex
CREATE INDEX "EvaluationParticipant_supervisorId_stage_idx" ON "EvaluationParticipant"("supervisorId", "stage");

-- CreateIndex
CREATE INDEX "EvaluationParticipant_nextReminderAt_idx" ON "EvaluationParticipant"("nextReminderAt");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationParticipant_cycleId_memberId_key" ON "EvaluationParticipant"("cycleId", "memberId");

-- CreateIndex
CREATE INDEX "EvaluationSubmission_participantId_idx" ON "EvaluationSubmission"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationSubmission_participantId_raterKind_raterKey_key" ON "EvaluationSubmission"("participantId", "raterKind", "raterKey");

-- CreateIndex
CREATE UNIQUE INDEX "PeerNomination_participantId_peerId_key" ON "PeerNomination"("participantId", "peerId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerInvite_tokenHash_key" ON "CustomerInvite"("tokenHash");
