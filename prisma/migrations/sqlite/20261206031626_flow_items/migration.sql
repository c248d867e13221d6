-- CreateTable
CREATE TABLE "FlowItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "flow" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "data" TEXT NOT NULL,
    "dueAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FlowEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "itemId" INTEGER NOT NULL,
    "actorId" INTEGER,
    "at" DATETIME NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE INDEX "FlowItem_flow_state_createdAt_idx" ON "FlowItem"("flow", "state", "createdAt");

-- CreateIndex
CREATE INDEX "FlowItem_dueAt_idx" ON "FlowItem"("dueAt");

-- CreateIndex
CREATE INDEX "FlowEvent_itemId_at_idx" ON "FlowEvent"("itemId", "at");
