/**
 * The worker's interpretation, driven through its message protocol in Node: snapshots that carry
 * norms, map positions and drift while training; the vocabulary map; a prompt's interpretation
 * (also for an exported and re-imported file, whose `init_seed` lets drift be rebuilt); what the
 * model reads of one example; and the similarity of saved runs and files.
 */
import { describe, expect, it } from 'vitest';
import { readPromptFile } from '../../../src/core/promptFile/promptFile';
import type { WorkerRequest } from '../../../src/core/worker/protocol';
import { wordModelDir, wordModelFiles } from '../../helpers/wordModel';
import { workerSession } from '../../helpers/workerSession';

const files = wordModelFiles('t5-tiny-gated');
const examples = Array.from({ length: 24 }, (_, i) => ({ text: `w${10 + (i % 2)} w${20 + i} w${40 + i}`, label: i % 2 ? 'w101' : 'w202' }));
const start: WorkerRequest = {
  type: 'start',
  runId: 'run-i',
  examples,
  validationFraction: 0.25,
  config: { promptLength: 4, init: 'labels', batchSize: 4, steps: 4, reportEvery: 1, evalEvery: 2, checkpointEvery: 2, dropoutRate: 0, seed: 2, learningRate: 0.5 },
  neighboursEvery: 2,
};

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
const cos = (a: ArrayLike<number>, b: ArrayLike<number>) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

describe('PromptInterpreter through the session', () => {
  it('streams snapshots with norms, map positions and drift, then interprets, reads an example and compares runs', async () => {
    const { s, of } = workerSession();
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-gated', files } });
    await s.handle(start);
    expect(of('error')).toEqual([]);

    const snapshots = of('neighbours');
    expect(snapshots.map((n) => n.step)).toEqual([0, 2, 4]);
    for (const n of snapshots) {
      expect(n.norms).toHaveLength(4);
      expect(n.projection).toHaveLength(4);
      expect(n.initialCosine).toHaveLength(4);
      n.norms!.forEach((x) => expect(x.vocabPercentile).toBeGreaterThanOrEqual(0));
    }
    // Step 0 is the initial prompt itself; later steps have moved away from it.
    snapshots[0]!.initialCosine!.forEach((c) => expect(c).toBeCloseTo(1, 6));
    expect(Math.min(...snapshots[2]!.initialCosine!)).toBeLessThan(1 - 1e-4);

    await s.handle({ type: 'vocabulary-map', requestId: 1, sample: 100, labels: ['w202', 'w101'] });
    const map = of('vocabulary-map')[0]!;
    expect(map.vocabulary.length).toBeGreaterThanOrEqual(100);
    expect(map.tokens).toHaveLength(map.vocabulary.length);
    expect(map.tokens[map.vocabulary.findIndex(([id]) => id === 202)]).toBe('w202'); // label pieces join the cloud
    expect(map.labels.map((l) => l.text)).toEqual(['w202', 'w101']);

    await s.handle({ type: 'interpret', requestId: 2, k: 3, sample: 50 });
    const interpretation = of('interpretation')[0]!;
    expect(interpretation.neighbours).toHaveLength(4);
    expect(interpretation.neighbours[0]).toHaveLength(3);
    expect(interpretation.driftUnavailable).toBeUndefined();

    // The exported file records init_seed; drift is cosine to the labels init (slot 0: w202's embedding).
    await s.handle({ type: 'export', format: 'prompt' });
    const exported = of('exported')[0]!;
    const file = readPromptFile(exported.bytes);
    expect(file.metadata.initSeed).toBe(2);
    const { loadT5 } = await import('../../../src/core/model/loadT5');
    const { nodeDirSource } = await import('../../../src/core/io/nodeDirSource');
    const reference = await loadT5(nodeDirSource(wordModelDir('t5-tiny-gated')));
    const w202 = (reference.model.weights.shared.arraySync() as number[][])[202]!;
    reference.model.dispose();
    expect(interpretation.drift!.cosine[0]).toBeCloseTo(cos(file.prompt.values.subarray(0, 64), w202), 5);

    await s.handle({ type: 'read-example', requestId: 3, text: 'w10 w33 w47' });
    const reading = of('example-reading')[0]!;
    expect(reading).toMatchObject({ requestId: 3, member: 0, labels: ['w202', 'w101'], tokens: ['w10', 'w33', 'w47', '</s>'] });
    expect(reading.importance).toHaveLength(4);
    expect(reading.attention.layers).toHaveLength(2);

    // A fresh session imports the file: the same interpretation, drift included.
    const fresh = workerSession();
    await fresh.s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-gated', files } });
    await fresh.s.handle({ type: 'import-prompts', files: [[{ name: exported.fileName, bytes: exported.bytes }]] });
    await fresh.s.handle({ type: 'interpret', requestId: 9, k: 3, sample: 50 });
    const again = fresh.of('interpretation')[0]!;
    expect(again.drift!.cosine).toEqual(interpretation.drift!.cosine);
    expect(again.neighbours).toEqual(interpretation.neighbours);

    // Saved runs and files side by side: the run's prompt and its exported copy are the same prompt.
    await s.handle({ type: 'compare-prompts', requestId: 4, runIds: 'all', files: [[{ name: 'copy.prompt.safetensors', bytes: exported.bytes }]] });
    const similarity = of('prompt-similarity')[0]!;
    expect(similarity.names).toHaveLength(2);
    expect(similarity.names[1]).toBe('copy.prompt.safetensors');
    expect(similarity.meanPooled[0]![1]).toBeCloseTo(1, 6);
    expect(similarity.tokenAligned[0]![1]).toBeCloseTo(1, 6);
    expect(similarity.skipped).toEqual([]);
    s.dispose();
    fresh.s.dispose();
  });

  it('says why drift is missing, and reports errors as events', async () => {
    const { s, of } = workerSession();
    await s.handle({ type: 'interpret', requestId: 1 });
    expect(of('error')[0]).toMatchObject({ during: 'interpret', message: expect.stringMatching(/load a model first/) });
    await s.handle({ type: 'load-model', model: { kind: 'files', id: 'tiny-gated', files } });
    await s.handle({ type: 'read-example', requestId: 2, text: 'w10' });
    expect(of('error')[1]).toMatchObject({ during: 'read-example', message: expect.stringMatching(/no prompt yet/) });
    const { writePromptFile } = await import('../../../src/core/promptFile/promptFile');
    const bare = writePromptFile({ length: 2, width: 64, values: new Float32Array(128).fill(0.1) }, { labels: ['w202', 'w101'] });
    await s.handle({ type: 'import-prompts', files: [[{ name: 'bare.prompt.safetensors', bytes: bare }]] });
    await s.handle({ type: 'interpret', requestId: 3, member: 1 });
    expect(of('error')[2]!.message).toMatch(/no prompt 2/);
    await s.handle({ type: 'interpret', requestId: 4 });
    expect(of('interpretation')[0]!.driftUnavailable).toMatch(/init_seed/);
    s.dispose();
  });
});
