// The people a form offers to pick from for a department (responsible person on a checklist, a new owner
// for a finding), on the in-memory store: its members, or everyone while it has none, capped, with the manager
// or current owner always offered.
import { beforeEach, describe, expect, it } from 'vitest';
import { OrgService } from '../../../src/core/org/service.js';
import { type MemoryRepos, memoryRepos } from '../../support/memory/index.js';
import { buildOrg, type PersonSpec } from '../../support/org.js';

const STAFF: PersonSpec[] = Array.from({ length: 5 }, (_, i) => ({
  name: `Staff ${i + 1}`,
  slack: `US${i + 1}`,
  dept: '门店A',
}));
const PEOPLE: PersonSpec[] = [
  { name: 'Mia Manager', slack: 'UMIA', manages: '门店A', dept: '总部' },
  ...STAFF,
  { name: 'Olly Other', slack: 'UOLLY', dept: '门店B' },
];

describe('people offered for a department', () => {
  let repos: MemoryRepos;
  let org: OrgService;
  beforeEach(() => {
    repos = memoryRepos();
    org = new OrgService(repos.org, {}, { locale: 'en', timeZone: 'UTC', admins: [] });
  });

  it("offers the department's members with its manager from elsewhere first, capped, and everyone for an empty department", async () => {
    const people = await buildOrg(repos, PEOPLE, ['门店C']);
    const a = (await repos.org.departmentByName('门店A'))!;
    const all = await org.pickable(a.id, a.managerId, 10);
    expect(all.first?.displayName).toBe('Mia Manager');
    expect(all.people.map((m) => m.displayName)).toEqual(['Mia Manager', ...STAFF.map((s) => s.name)]);
    // Capped: the manager stays in, the list is cut.
    expect((await org.pickable(a.id, a.managerId, 3)).people.map((m) => m.displayName)).toEqual([
      'Mia Manager',
      'Staff 1',
      'Staff 2',
    ]);
    // No manager given: members only.
    expect((await org.pickable(a.id, null, 10)).people).toHaveLength(5);
    // A department nobody belongs to yet offers everyone (by id), up to the cap.
    const c = (await repos.org.departmentByName('门店C'))!;
    const everyone = await org.pickable(c.id, people['Olly Other']!.id, 100);
    expect(everyone.people).toHaveLength(PEOPLE.length);
    expect(everyone.first?.displayName).toBe('Olly Other');
  });
});
