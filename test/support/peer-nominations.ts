// What the peer-nomination tests read back, through the core and on both platforms: 李员工's participant row,
// the nominations made, and the rows a refused nomination must leave as they were.
import type { Member } from '../../src/core/ports.js';
import type { Db } from '../../src/store/database.js';

/** Reads of the database `db` gives (the bot's or the test's), with `people` by display name; both asked at each call. */
export function nominationReads(db: () => Db, people: () => Record<string, Member>) {
  const nominations = () =>
    db().peerNomination.findMany({ orderBy: { id: 'asc' }, select: { peerId: true, status: true } });
  return {
    /** 李员工's participant row (ask while only one cycle is open). */
    staff: () => db().evaluationParticipant.findFirstOrThrow({ where: { memberId: people().李员工!.id } }),
    /** Every nomination, oldest first: the peer and the status. */
    nominations,
    /** The nominations, the messages queued, the members (nobody registered) and the participants. */
    async dbState() {
      return {
        nominations: await nominations(),
        outbox: await db().outboxMessage.count(),
        members: await db().member.count(),
        participants: await db().evaluationParticipant.findMany({ orderBy: { id: 'asc' } }),
      };
    },
  };
}
