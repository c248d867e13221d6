// The floor for checklist submits: a bare Bolt app that does only the minimum any bot must do before it can
// ack a checklist submit, with none of dudao's code on the request path. It reads the member and the draft;
// for a page it reads the department's people (the next page offers them), saves the page with one UPDATE
// and acks with the next page; for the last page it saves the inspection (the inspection row, its item
// results, the draft closed and the summary queued, in one transaction), acks with a notice and posts the
// summary after the ack. The bytes it acks with and posts are dudao's own, captured once before the run. It
// checks nothing, renders nothing, and writes to its own copy of the database with synchronous=normal (no
// sync to disk per commit): what it reaches is an upper bound for any bot on Bolt that answers the same
// requests, so dudao's ratio to it is the cost of dudao's own code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger as BoltLogger, HTTPReceiver } from '@slack/bolt';
import Sqlite from 'better-sqlite3';

export interface FloorOptions {
  /** A copy of dudao's database, seeded (member, department, template). */
  dbPath: string;
  signingSecret: string;
  apiUrl: string;
  logger: BoltLogger;
  /** Index of the checklist's last page: a submit there saves the inspection. */
  lastPage: number;
  /** What dudao acks a page submit with (the next page) and a final submit with (the notice). */
  pageAck: object;
  finalAck: object;
  /** The summary dudao posts after a final submit, as sent to chat.postMessage. */
  summary: object;
}

export interface Floor {
  url: string;
  /** Adds `n` open drafts on `page` with `answers`, returning their ids. */
  drafts(
    prefix: string,
    n: number,
    page: number,
    answers: Record<string, string>,
    ids: { templateVersionId: number; departmentId: number; supervisorId: number },
  ): string[];
  /** Resolves when every summary posted so far has been sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startFloor(o: FloorOptions): Promise<Floor> {
  const db = new Sqlite(o.dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = normal');
  const member = db.prepare('SELECT * FROM "Member" WHERE "slackUserId" = ?');
  const draft = db.prepare('SELECT * FROM "InspectionDraft" WHERE "id" = ?');
  const people = db.prepare('SELECT * FROM "Member" WHERE "departmentId" = ? ORDER BY "id" LIMIT 100');
  const savePage = db.prepare(
    'UPDATE "InspectionDraft" SET "answers" = ?, "page" = ?, "updatedAt" = ? WHERE "id" = ? AND "status" = \'open\' AND "page" = ?',
  );
  const inspection = db.prepare(
    'INSERT INTO "Inspection" ("draftId", "templateVersionId", "departmentId", "supervisorId", "status", "platform", "channelId", "startedAt", "submittedAt") VALUES (?, ?, ?, ?, \'submitted\', \'slack\', ?, ?, ?) RETURNING "id"',
  );
  const results = new Map<number, Sqlite.Statement>();
  const itemResults = (n: number) => {
    let s = results.get(n);
    if (!s) {
      s = db.prepare(
        `INSERT INTO "ItemResult" ("inspectionId", "dimensionKey", "itemKey", "answer", "failed") VALUES ${Array(n).fill('(?, ?, ?, ?, 0)').join(', ')}`,
      );
      results.set(n, s);
    }
    return s;
  };
  const close = db.prepare(
    'UPDATE "InspectionDraft" SET "status" = \'submitted\', "inspectionId" = ?, "updatedAt" = ? WHERE "id" = ? AND "status" = \'open\'',
  );
  const queue = db.prepare(
    'INSERT INTO "OutboxMessage" ("dedupeKey", "platform", "targetKind", "targetId", "payload", "nextAttemptAt", "createdAt") VALUES (?, \'slack\', \'channel\', ?, ?, ?, ?)',
  );
  const summaryJson = JSON.stringify(o.summary);
  const saveInspection = db.transaction((d: Draft, answers: Record<string, string>, now: number) => {
    const { id } = inspection.get(
      d.id,
      d.templateVersionId,
      d.departmentId,
      d.supervisorId,
      d.channelId,
      d.createdAt,
      now,
    ) as { id: number };
    const scores = Object.entries(answers).filter(([k]) => k.endsWith('_score'));
    itemResults(scores.length).run(scores.flatMap(([k, v]) => [id, k.slice(0, k.indexOf('i')), k, v]));
    close.run(id, now, d.id);
    queue.run(`summary:${d.id}`, d.channelId, summaryJson, now, now);
  });

  /** Summaries still being posted after their acks. */
  const posts = new Set<Promise<void>>();
  const receiver = new HTTPReceiver({ signingSecret: o.signingSecret, endpoints: '/slack/events', logger: o.logger });
  const app = new App({
    token: 'xoxb-bench',
    receiver,
    logger: o.logger,
    clientOptions: { slackApiUrl: o.apiUrl },
    deferInitialization: true,
  });
  app.view('dudao_form', async ({ ack, body, view, client }) => {
    const meta = JSON.parse(view.private_metadata) as { id: string; p: number };
    member.get(body.user.id);
    const d = draft.get(meta.id) as Draft;
    const answers: Record<string, string> = JSON.parse(d.answers);
    for (const [k, v] of Object.entries(view.state.values))
      answers[k] = (v[k] as { selected_option?: { value: string } }).selected_option?.value ?? '';
    const now = Date.now();
    if (meta.p < o.lastPage) {
      people.all(d.departmentId);
      savePage.run(JSON.stringify(answers), meta.p + 1, now, meta.id, meta.p);
      await ack(o.pageAck as never);
      return;
    }
    saveInspection(d, answers, now);
    await ack(o.finalAck as never);
    const posted = client.chat.postMessage({ channel: d.channelId, ...o.summary } as never).then(() => undefined);
    posts.add(posted);
    await posted.finally(() => posts.delete(posted));
  });
  await app.init();
  const server: Server = createServer(receiver.requestListener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const insertDraft = db.prepare(
    'INSERT INTO "InspectionDraft" ("id", "templateVersionId", "departmentId", "supervisorId", "platform", "channelId", "answers", "page", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, \'slack\', \'C1\', ?, ?, ?, ?)',
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    drafts(prefix, n, page, answers, ids) {
      const now = Date.now();
      const made = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
      db.transaction(() => {
        for (const id of made)
          insertDraft.run(
            id,
            ids.templateVersionId,
            ids.departmentId,
            ids.supervisorId,
            JSON.stringify(answers),
            page,
            now,
            now,
          );
      })();
      return made;
    },
    async idle() {
      while (posts.size > 0) await Promise.allSettled([...posts]);
    },
    async close() {
      await new Promise((r) => server.close(r));
      db.close();
    },
  };
}

type Draft = {
  id: string;
  templateVersionId: number;
  departmentId: number;
  supervisorId: number;
  channelId: string;
  answers: string;
  createdAt: number;
};
