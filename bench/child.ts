// Runs a benchmark's measured part in a fresh Node process (so its memory figures are its own) and reads
// back the JSON line it prints last.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

export function runBenchChild<T>(script: string, args: string[], name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, '--child', ...args], {
      cwd: join(dirname(script), '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${name} child exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${name} child printed no result: ${out}`));
      }
    });
  });
}
