// The in-memory store: one Table per Prisma model the repositories use (same names, same columns, the schema's
// defaults and unique keys: schema.ts), and transactions. A repository method runs synchronously inside `atomically`, so
// nothing else runs in between, and a throw puts every table back as it was (a rolled-back transaction).
import type {
  ChecklistTemplate,
  CustomerInvite,
  Department,
  EvaluationConfigVersion,
  EvaluationCycle,
  EvaluationParticipant,
  EvaluationSubmission,
  Finding,
  FindingEvent,
  Inspection,
  InspectionDimensionScore,
  InspectionDraft,
  ItemResult,
  Member,
  MessageRef,
  OutboxInstance,
  OutboxMessage,
  PeerNomination,
  ProcessedDelivery,
  ReminderLog,
  TemplateVersion,
} from '../../../src/generated/sqlite/client.js';
import { specFor } from './schema.js';
import { Table } from './table.js';

const table = <R extends object>(model: string) => new Table<R>(specFor<R>(model));

/** A table per model the repositories use, named as Prisma's client names them. */
export class MemoryDb {
  readonly department = table<Department>('Department');
  readonly member = table<Member>('Member');
  readonly checklistTemplate = table<ChecklistTemplate>('ChecklistTemplate');
  readonly templateVersion = table<TemplateVersion>('TemplateVersion');
  readonly inspectionDraft = table<InspectionDraft>('InspectionDraft');
  readonly inspection = table<Inspection>('Inspection');
  readonly inspectionDimensionScore = table<InspectionDimensionScore>('InspectionDimensionScore');
  readonly itemResult = table<ItemResult>('ItemResult');
  readonly finding = table<Finding>('Finding');
  readonly findingEvent = table<FindingEvent>('FindingEvent');
  readonly reminderLog = table<ReminderLog>('ReminderLog');
  readonly messageRef = table<MessageRef>('MessageRef');
  readonly processedDelivery = table<ProcessedDelivery>('ProcessedDelivery');
  readonly outboxMessage = table<OutboxMessage>('OutboxMessage');
  readonly outboxInstance = table<OutboxInstance>('OutboxInstance');
  readonly evaluationConfigVersion = table<EvaluationConfigVersion>('EvaluationConfigVersion');
  readonly evaluationCycle = table<EvaluationCycle>('EvaluationCycle');
  readonly evaluationParticipant = table<EvaluationParticipant>('EvaluationParticipant');
  readonly evaluationSubmission = table<EvaluationSubmission>('EvaluationSubmission');
  readonly peerNomination = table<PeerNomination>('PeerNomination');
  readonly customerInvite = table<CustomerInvite>('CustomerInvite');

  private tables(): Array<Table<object>> {
    return Object.values(this).filter((t): t is Table<object> => t instanceof Table);
  }

  /**
   * Runs `fn` as one transaction: what it wrote stays only if it returns; a throw (or a rejected promise) puts
   * every table back. Run synchronous work only: between the awaits of an async `fn` other callers' writes
   * would be put back with it (only the org import, which shares the store's async code, is async).
   */
  atomically<T>(fn: () => T): T {
    const saved = this.tables().map((t) => [t, t.snapshot()] as const);
    const undo = (e: unknown) => {
      for (const [t, rows] of saved) t.restore(rows);
      throw e;
    };
    try {
      const out = fn();
      return (out instanceof Promise ? out.catch(undo) : out) as T;
    } catch (e) {
      return undo(e);
    }
  }
}
