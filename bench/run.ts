// `npm run bench [ingress|status]`: every benchmark, side by side in one run. See README "Benchmarks".
import { benchIngress, printIngress } from './ingress.js';
import { benchStatus, printStatus } from './status.js';

const only = process.argv[2];
if (!only || only === 'ingress') printIngress(await benchIngress());
if (!only || only === 'status') printStatus(await benchStatus());
