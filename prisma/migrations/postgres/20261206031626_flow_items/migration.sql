-- CreateTable
CREATE TABLE "FlowItem" (
    "id" SERIAL NOT NULL,
    "flow" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "data" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowEvent" (
    "id" SERIAL NOT NULL,
    "itemId" INTEGER NOT NULL,
    "actorId" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "FlowEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FlowItem_flow_state_createdAt_idx" ON "FlowItem"("flow", "state", "createdAt");

-- CreateIndex
CREATE INDEX "FlowItem_dueAt_idx" ON "FlowItem"("dueAt");

-- CreateIndex
CREATE INDEX "FlowEvent_itemId_at_idx" ON "FlowEvent"("itemId", "at");
