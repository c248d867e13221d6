// deploy/dudao.service, the unit docs/operations.md tells operators to install: systemd accepts it as written
// (when systemd-analyze is on the machine), and it says what running dudao as a service needs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT = join(import.meta.dirname, '..', '..', 'deploy', 'dudao.service');

/** Sections to keys to values, rejecting anything systemd would ignore or misread. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([A-Za-z]+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      return;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1} is neither a section nor Key=value: ${raw}`);
    current.set(kv[1]!, [...(current.get(kv[1]!) ?? []), kv[2]!]);
  });
  return sections;
}

const KNOWN: Record<string, string[]> = {
  Unit: ['Description', 'Documentation', 'Wants', 'After', 'Requires'],
  Service: [
    'Type',
    'User',
    'Group',
    'WorkingDirectory',
    'EnvironmentFile',
    'Environment',
    'ExecStart',
    'KillSignal',
    'KillMode',
    'TimeoutStopSec',
    'TimeoutStartSec',
    'Restart',
    'RestartSec',
    'NoNewPrivileges',
    'PrivateTmp',
    'ProtectSystem',
  ],
  Install: ['WantedBy'],
};

describe('deploy/dudao.service', () => {
  const unit = parseUnit(readFileSync(UNIT, 'utf8'));
  const service = unit.get('Service')!;
  const one = (key: string) => {
    expect(service.get(key), key).toHaveLength(1);
    return service.get(key)![0]!;
  };

  it('has only sections and keys systemd knows', () => {
    expect([...unit.keys()].sort()).toEqual(['Install', 'Service', 'Unit']);
    for (const [name, keys] of unit)
      for (const key of keys.keys()) expect(KNOWN[name], `${name}.${key}`).toContain(key);
  });

  it('starts the README command from the checkout, stops it by SIGTERM in time, and restarts it on failure', () => {
    expect(one('ExecStart')).toBe('/usr/bin/env npm start');
    expect(one('WorkingDirectory')).toMatch(/^\//);
    expect(one('EnvironmentFile')).toMatch(/^-?\/.*\.env$/);
    expect(one('KillSignal')).toBe('SIGTERM');
    // dudao promises to stop within 10 s; systemd must wait at least that long before it kills.
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThanOrEqual(10);
    expect(one('Restart')).toBe('on-failure');
    expect(unit.get('Install')!.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('passes systemd-analyze verify where systemd is installed', (ctx) => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) return ctx.skip();
    const r = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    // Unknown keys are only warned about; a warning counts as a failure here.
    expect(r.stderr.trim()).toBe('');
  });
});
