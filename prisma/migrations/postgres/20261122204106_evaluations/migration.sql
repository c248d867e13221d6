-- AlterTable
ALTER TABLE "ReminderLog" ADD COLUMN     "participantId" INTEGER,
ALTER COLUMN "findingId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "fallback" TEXT;

-- CreateTable
CREATE TABLE "EvaluationConfigVersion" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvaluationConfigVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationCycle" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "configVersionId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedById" INTEGER NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "departmentIds" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "EvaluationCycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationParticipant" (
    "id" SERIAL NOT NULL,
    "cycleId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "departmentId" INTEGER,
    "supervisorId" INTEGER,
    "customerFacing" BOOLEAN NOT NULL DEFAULT false,
    "stage" TEXT NOT NULL DEFAULT 'self',
    "selfAt" TIMESTAMP(3),
    "supervisorAt" TIMESTAMP(3),
    "reviewedAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "reviewPlan" TEXT,
    "nextGoals" TEXT,
    "overallScore" DOUBLE PRECISION,
    "grade" TEXT,
    "result" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "nextReminderAt" TIMESTAMP(3),

    CONSTRAINT "EvaluationParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationSubmission" (
    "id" SERIAL NOT NULL,
    "participantId" INTEGER NOT NULL,
    "raterKind" TEXT NOT NULL,
    "raterKey" TEXT NOT NULL,
    "raterMemberId" INTEGER,
    "raterLabel" TEXT,
    "scores" TEXT NOT NULL,
    "comments" TEXT NOT NULL DEFAULT '{}',
    "submittedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvaluationSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PeerNomination" (
    "id" SERIAL NOT NULL,
    "participantId" INTEGER NOT NULL,
    "peerId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PeerNomination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerInvite" (
    "id" SERIAL NOT NULL,
    "participantId" INTEGER NOT NULL,
    "customerName" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerInvite_pkey" PRIMARY KEY ("id")
);

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
