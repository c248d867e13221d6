// `npm run bench [ingress|status|sweep|evaluations|crash|malformed|start]`: every benchmark, side by side in one run. See docs/benchmarks.md.

import { benchCrash, printCrash } from './crash.js';
import { benchEvaluations, printEvaluations } from './evaluations.js';
import { benchIngress, printIngress } from './ingress.js';
import { benchMalformed, printMalformed } from './malformed.js';
import { benchStart, printStart } from './start.js';
import { benchStatus, printStatus } from './status.js';
import { benchSweep, printSweep } from './sweep.js';

const only = process.argv[2];
const known = ['ingress', 'status', 'sweep', 'evaluations', 'crash', 'malformed', 'start'];
if (only && !known.includes(only)) {
  process.stderr.write(`unknown benchmark "${only}"; expected one of ${known.join(', ')}\n`);
  process.exit(2);
}
if (!only || only === 'ingress') printIngress(await benchIngress());
if (!only || only === 'status') printStatus(await benchStatus());
if (!only || only === 'sweep') printSweep(await benchSweep());
if (!only || only === 'evaluations') printEvaluations(await benchEvaluations());
if (!only || only === 'malformed') printMalformed(await benchMalformed());
if (!only || only === 'crash') printCrash(await benchCrash());
if (!only || only === 'start') printStart(await benchStart());
