/**
 * `npm run bench:load`: builds the app as `npm run build` does, into a temporary folder, and prints
 * the gzip size of each script and stylesheet the built index.html loads before first paint, their
 * total, and the budget (issue #18: ≤ 200 KB). tools/firstLoad.ts measures; the test
 * test/tools/firstLoad.test.ts holds the budget.
 */
import { buildAndMeasureFirstLoad, FIRST_LOAD_BUDGET, formatKb } from '../tools/firstLoad.ts';

const load = await buildAndMeasureFirstLoad();
console.log('First load (JS + CSS the built index.html references, gzip -9):');
for (const a of load.assets) console.log(`  ${a.path.padEnd(40)} ${formatKb(a.bytes).padStart(10)}  gzip ${formatKb(a.gzipBytes).padStart(9)}`);
const verdict = load.gzipBytes <= FIRST_LOAD_BUDGET ? 'within' : 'OVER';
console.log(`  total gzip ${formatKb(load.gzipBytes)}: ${verdict} the ${formatKb(FIRST_LOAD_BUDGET)} budget`);
if (load.gzipBytes > FIRST_LOAD_BUDGET) process.exitCode = 1;
