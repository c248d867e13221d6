// Rectification for the rest of the core: `finding <id>`, the steps (run by the flow engine on the
// declaration in flow.ts), the first cards of new findings, and the cards a reminder sweep redraws.

import { type EngineOf, FlowEngine } from '../flows/engine.js';
import type { FlowRoutes } from '../flows/registry.js';
import { t } from '../i18n/t.js';
import { platformFor } from '../org/service.js';
import type { Department, Member, OutboxItem, Platform } from '../ports.js';
import type { MessageView, Reply } from '../views/types.js';
import {
  concernedIn,
  drawFindingCard,
  findingFlowRepo,
  mayViewFinding,
  type RectificationDeps,
  type RectificationFlow,
  rectificationFlow,
} from './flow.js';
import type { FindingAction, FindingRecord } from './types.js';

export type { RectificationDeps };

export class RectificationService {
  readonly engine: EngineOf<RectificationFlow>;

  constructor(private readonly d: RectificationDeps) {
    this.engine = new FlowEngine(rectificationFlow(d), { repo: findingFlowRepo(d.findings), people: d.org });
  }

  /** The form types and buttons of every step (`finding.<step>`, `finding.history`). */
  register(routes: FlowRoutes): void {
    this.engine.register(routes);
  }

  mayView(me: Member, f: FindingRecord): boolean {
    return mayViewFinding(me, f);
  }

  /** The card of a finding as `reader` sees it, with the buttons of the steps they may take. */
  card(f: FindingRecord, reader: Member, lead?: string, dept?: Department | null): Promise<MessageView> {
    return drawFindingCard(this.d, f, reader, lead, dept);
  }

  /** `finding <id>`: the card and its history. */
  show(me: Member, id: number): Promise<Reply> {
    return this.engine.show(me, id);
  }

  /** A button: the step's form, or a clear refusal. */
  open(me: Member, action: FindingAction | 'history', id: number, now: Date = new Date()): Promise<Reply> {
    return this.engine.open(me, action, id, now);
  }

  /**
   * Everyone's card of these findings drawn again, as updates in place only: a reminder sweep changes the
   * reminder and escalation counts the cards show without any step that would redraw them.
   */
  async redrawCards(ids: number[], platform: Platform, now: Date): Promise<void> {
    const cards: Array<{ id: number; version: number; outbox: OutboxItem[] }> = [];
    for (const id of ids) {
      const f = await this.d.findings.byId(id);
      if (!f) continue;
      const dept = await this.d.org.departmentById(f.departmentId);
      const people = await this.d.org.membersByIds([...new Set(concernedIn(f, dept))]);
      const supervisor = people.find((p) => p.id === f.createdById)?.displayName ?? `#${f.createdById}`;
      const outbox: OutboxItem[] = [];
      for (const p of people) {
        const where = platformFor(p, platform);
        if (!where) continue;
        // A finding no step has touched yet still carries the introduction its owner's first card had.
        const lead =
          f.version === 0 && p.id === f.responsibleMemberId
            ? t(p.locale, 'dm.intro', { supervisor, dept: dept?.name ?? '?', inspection: f.inspectionId })
            : undefined;
        outbox.push({
          ...where,
          message: await this.card(f, p, lead, dept),
          dedupeKey: `finding:${f.id}:v${f.version}:r${f.reminderCount}:e${f.escalationCount}:card:${p.id}`,
          refKey: `finding:${f.id}:card:${p.id}`,
          updateOnly: true,
        });
      }
      cards.push({ id: f.id, version: f.version, outbox });
    }
    await this.d.findings.redraw(cards, now);
  }
}
