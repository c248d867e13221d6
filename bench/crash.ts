// kill -9 in the middle of a burst (test/support/crash-scenario.ts): 30 messages queued, half to Slack and
// half to Feishu, both answering each post after 200 ms; the sending process is killed while a Slack post it
// made has no answer yet. On SQLite the bot is started again; on PostgreSQL (DUDAO_TEST_PG_URL, or the local
// server when it answers) a second process that was running beside it takes over. Goals (issue 17): every
// message out within 10 s of the restart, within 15 s of the death beside a live peer, none twice.
import pg from 'pg';
import { fmt, summarize } from './stats.js';

const RUNS = Number(process.env.BENCH_CRASH_RUNS ?? 5);
const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export interface CrashBench {
  kind: 'sqlite' | 'postgres';
  mode: 'restart' | 'peer';
  runs: Array<{
    resumedMs?: number;
    afterDeathMs: number;
    afterRestartMs?: number;
    startupMs?: number;
    duplicates: number;
    missing: number;
    beforeDeath: number;
  }>;
}

export async function benchCrash(): Promise<CrashBench[]> {
  if (!process.env.DUDAO_TEST_PG_URL && (await reachable(LOCAL_PG))) process.env.DUDAO_TEST_PG_URL = LOCAL_PG;
  // Imported after the PostgreSQL URL is settled: test/support/db.ts reads it when loaded.
  const { crashRun } = await import('../test/support/crash-scenario.js');
  const plans: Array<Pick<CrashBench, 'kind' | 'mode'>> = [{ kind: 'sqlite', mode: 'restart' }];
  if (process.env.DUDAO_TEST_PG_URL)
    plans.push({ kind: 'postgres', mode: 'restart' }, { kind: 'postgres', mode: 'peer' });
  const out: CrashBench[] = [];
  for (const plan of plans) {
    const bench: CrashBench = { ...plan, runs: [] };
    for (let i = 0; i < RUNS; i++) {
      const r = await crashRun(plan);
      bench.runs.push({
        resumedMs: r.resumedMs,
        afterDeathMs: r.afterDeathMs,
        afterRestartMs: r.afterRestartMs,
        startupMs: r.startupMs,
        duplicates: r.duplicates,
        missing: r.queued - r.delivered,
        beforeDeath: r.beforeDeath,
      });
      process.stderr.write(
        `crash ${plan.kind} ${plan.mode} run ${i + 1}/${RUNS}: ${JSON.stringify(bench.runs.at(-1))}\n`,
      );
    }
    out.push(bench);
  }
  return out;
}

export function printCrash(results: CrashBench[]): void {
  console.log('\n## crash: kill -9 mid-burst (30 messages, posts answered after 200 ms)');
  if (!results.some((r) => r.kind === 'postgres'))
    console.log('PostgreSQL: not reachable (set DUDAO_TEST_PG_URL); SQLite only');
  const s = (xs: Array<number | undefined>) => {
    const v = summarize(xs.filter((x): x is number => x !== undefined));
    return `median ${fmt(v.p50 / 1000)} s, max ${fmt(v.max / 1000)} s`;
  };
  for (const r of results) {
    const from = r.mode === 'restart' ? 'the restart' : 'the death';
    const last = r.runs.map((x) => (r.mode === 'restart' ? x.afterRestartMs : x.afterDeathMs));
    const limit = r.mode === 'restart' ? 10_000 : 15_000;
    const met = last.every((x) => x !== undefined && x < limit);
    const dup = r.runs.reduce((n, x) => n + x.duplicates, 0);
    const missing = r.runs.reduce((n, x) => n + x.missing, 0);
    console.log(
      `${r.kind}, ${r.mode === 'restart' ? 'restarted' : 'live peer'}, ${r.runs.length} runs (${r.runs[0]?.beforeDeath ?? '?'} of 30 out at the death):`,
    );
    if (r.mode === 'restart') console.log(`  new process running after ${s(r.runs.map((x) => x.startupMs))}`);
    console.log(`  sending resumed after ${from}: ${s(r.runs.map((x) => x.resumedMs))}`);
    console.log(`  last message out after ${from}: ${s(last)} (goal < ${limit / 1000} s: ${met ? 'met' : 'MISSED'})`);
    console.log(`  duplicates ${dup}, missing ${missing} (goal 0: ${dup + missing === 0 ? 'met' : 'MISSED'})`);
  }
}
