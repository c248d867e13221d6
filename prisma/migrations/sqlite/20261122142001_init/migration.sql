-- CreateTable
CREATE TABLE "Department" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "parentId" INTEGER,
    "managerId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Department_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Department" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Member" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "displayName" TEXT NOT NULL,
    "slackUserId" TEXT,
    "feishuOpenId" TEXT,
    "role" TEXT NOT NULL DEFAULT 'member',
    "departmentId" INTEGER,
    "locale" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChecklistTemplate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TemplateVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "templateId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TemplateVersion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "ChecklistTemplate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InspectionDraft" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "templateVersionId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "supervisorId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "answers" TEXT NOT NULL DEFAULT '{}',
    "page" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'open',
    "inspectionId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Inspection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "draftId" TEXT NOT NULL,
    "templateVersionId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "supervisorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "submittedAt" DATETIME NOT NULL,
    "overallScore" REAL
);

-- CreateTable
CREATE TABLE "InspectionDimensionScore" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "inspectionId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "dimensionKey" TEXT NOT NULL,
    "score" REAL
);

-- CreateTable
CREATE TABLE "ItemResult" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "inspectionId" INTEGER NOT NULL,
    "dimensionKey" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "failed" BOOLEAN NOT NULL,
    "note" TEXT,
    "evidenceUrl" TEXT
);

-- CreateTable
CREATE TABLE "Finding" (
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
    "closedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ProcessedDelivery" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
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
    "sentAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "Department_name_key" ON "Department"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Member_slackUserId_key" ON "Member"("slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_feishuOpenId_key" ON "Member"("feishuOpenId");

-- CreateIndex
CREATE INDEX "Member_departmentId_idx" ON "Member"("departmentId");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistTemplate_key_key" ON "ChecklistTemplate"("key");

-- CreateIndex
CREATE UNIQUE INDEX "TemplateVersion_templateId_version_key" ON "TemplateVersion"("templateId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Inspection_draftId_key" ON "Inspection"("draftId");

-- CreateIndex
CREATE INDEX "Inspection_departmentId_submittedAt_idx" ON "Inspection"("departmentId", "submittedAt");

-- CreateIndex
CREATE INDEX "InspectionDimensionScore_departmentId_dimensionKey_idx" ON "InspectionDimensionScore"("departmentId", "dimensionKey");

-- CreateIndex
CREATE INDEX "InspectionDimensionScore_inspectionId_idx" ON "InspectionDimensionScore"("inspectionId");

-- CreateIndex
CREATE INDEX "ItemResult_inspectionId_idx" ON "ItemResult"("inspectionId");

-- CreateIndex
CREATE INDEX "Finding_departmentId_status_createdAt_idx" ON "Finding"("departmentId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Finding_responsibleMemberId_status_idx" ON "Finding"("responsibleMemberId", "status");

-- CreateIndex
CREATE INDEX "Finding_status_createdAt_idx" ON "Finding"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ProcessedDelivery_createdAt_idx" ON "ProcessedDelivery"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");
