import { randomUUID } from 'node:crypto';
import { Core } from './app.js';
import type { FormLimits } from './inspections/form.js';
import { InspectionService } from './inspections/service.js';
import type { InspectionRepo } from './inspections/types.js';
import { OrgService, type OrgDefaults } from './org/service.js';
import type { OrgRepo, Platform, ProfileLookup, TemplateRepo } from './ports.js';
import type { StatusRepo } from './status/types.js';
import { TemplateService } from './templates/service.js';

/** Slack modals hold 100 blocks; Feishu cards 30 KB, which fits about three checklist items. */
export const DEFAULT_FORM_LIMITS: Record<Platform, FormLimits> = {
  slack: { maxElementsPerPage: 100 },
  feishu: { maxElementsPerPage: 27 },
};

export interface CoreRepos {
  org: OrgRepo;
  templates: TemplateRepo;
  inspections: InspectionRepo;
  status: StatusRepo;
}

export function createCore(repos: CoreRepos, opts: { profiles: Partial<Record<Platform, ProfileLookup>>; defaults: OrgDefaults; limits?: Record<Platform, FormLimits>; newId?: () => string }) {
  const org = new OrgService(repos.org, opts.profiles, opts.defaults);
  const templates = new TemplateService(repos.templates);
  const inspections = new InspectionService({ repo: repos.inspections, org, templates, limits: opts.limits ?? DEFAULT_FORM_LIMITS, newId: opts.newId ?? randomUUID });
  return { core: new Core({ org, templates, inspections, status: repos.status }), org, templates, inspections };
}
