/** The tables and the findings of `npm run bench:learn`, from its results alone. */
import type { HeldOutCurve } from '../../src/core/tuning/heldOutCurve';
import type { PeerOutcome } from './peer';
import type { LearningRun } from './runs';

export interface RunResult {
  run: LearningRun;
  curve: HeldOutCurve;
  peer?: PeerOutcome;
}

export interface Finding {
  claim: string;
  /** Undefined when the runs it needs were not part of this benchmark. */
  reproduced?: boolean;
  evidence: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const final = (r: RunResult | undefined) => r?.curve.final.accuracy ?? NaN;

export function curveTable(results: RunResult[]): string {
  const steps = [...new Set(results.flatMap((r) => r.curve.points.map((p) => p.step)))].sort((a, b) => a - b);
  const head = `| run | task | init | P | K | ${steps.map((s) => `step ${s}`).join(' | ')} | s |`;
  const rule = `|${' --- |'.repeat(6 + steps.length)}`;
  const rows = results.map((r) => {
    const at = new Map(r.curve.points.map((p) => [p.step, p.accuracy]));
    const cells = steps.map((s) => (at.has(s) ? pct(at.get(s)!) : ''));
    return `| ${r.run.id} | ${r.run.task} | ${r.run.init} | ${r.run.promptLength} | ${r.run.ensemble} | ${cells.join(' | ')} | ${r.curve.seconds.toFixed(0)} |`;
  });
  return [head, rule, ...rows].join('\n');
}

export function peerTable(results: RunResult[]): string {
  const rows = results.filter((r) => r.peer).map((r) => {
    const p = r.peer!;
    if ('skipped' in p) return `| ${r.run.id} | ${pct(final(r))} | skipped: ${p.skipped} | | |`;
    const peerFinal = p.points[p.points.length - 1]!.accuracy;
    const gap = 100 * Math.abs(final(r) - peerFinal);
    return `| ${r.run.id} | ${pct(final(r))} | ${pct(peerFinal)} | ${gap.toFixed(1)} | ${gap <= 2 ? 'yes' : 'no'} |`;
  });
  return ['| run | this app (TF.js WASM) | PyTorch peer | gap (points) | within 2 |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function findings(results: RunResult[]): Finding[] {
  const by = (id: string) => results.find((r) => r.run.id === id);
  const labels = final(by('labels-5'));
  const vocab = final(by('vocab-5'));
  const random = final(by('random-5'));
  const lengths = [1, 5, 20, 100].map((p) => ({ p, acc: final(by(`labels-${p}`)) }));
  const ens = by('ensemble-5')?.curve.final;
  const members = ens?.members ?? [];
  const mean = members.reduce((s, x) => s + x, 0) / Math.max(1, members.length);
  const best = Math.max(...members);
  const longest = lengths[lengths.length - 1]!.acc;
  return [
    {
      claim: 'class-label init ≥ sampled vocabulary ≥ uniform random',
      reproduced: labels >= vocab && vocab >= random,
      evidence: `labels ${pct(labels)}, vocab ${pct(vocab)}, random ${pct(random)}`,
    },
    {
      claim: 'an ensemble beats its mean member',
      reproduced: ens ? ens.accuracy >= mean : undefined,
      evidence: `K = 5 vote ${pct(ens?.accuracy ?? NaN)}, mean member ${pct(mean)}, best member ${pct(best)}`,
    },
    {
      claim: 'longer prompts help a small model',
      reproduced: longest >= lengths[0]!.acc && lengths.every((l, i) => i === 0 || l.acc >= lengths[i - 1]!.acc - 0.01),
      evidence: lengths.map((l) => `P=${l.p} ${pct(l.acc)}`).join(', '),
    },
  ];
}

export function findingsTable(fs: Finding[]): string {
  return ['| paper finding | reproduced here | held-out accuracy (%) |', '| --- | --- | --- |', ...fs.map((f) => `| ${f.claim} | ${f.reproduced === undefined ? 'not run' : f.reproduced ? 'yes' : 'no'} | ${f.evidence} |`)].join('\n');
}
