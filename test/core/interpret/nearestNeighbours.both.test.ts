/** Prompt-token nearest neighbours against the float64 reference, on the CPU and WebGPU backends. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestNeighbours, withTokens } from '../../../src/core/interpret/nearestNeighbours';
import { loadT5, type LoadedT5 } from '../../../src/core/model/loadT5';
import { maxAbsDiff } from '../../helpers/compare';
import { fixtureSource, loadExpected, testBackend, type Expected, type FixtureName } from '../../helpers/fixtures';

describe.each<FixtureName>(['t5-tiny-gated', 't5-tiny-relu'])('nearestNeighbours on %s', (fixture) => {
  let loaded: LoadedT5;
  let e: Expected;
  let prompt: tf.Tensor2D;

  beforeAll(async () => {
    loaded = await loadT5(await fixtureSource(fixture));
    e = await loadExpected(fixture);
    prompt = tf.tensor2d(e.prompt.values, e.prompt.shape as [number, number]);
  });
  afterAll(() => {
    prompt?.dispose();
    loaded?.model.dispose();
  });

  it('gives the reference top-5 ids and cosine similarities (1e-5), leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const nn = await nearestNeighbours(prompt, loaded.model.weights.shared, 5);
    expect(tf.memory().numTensors).toBe(before);
    const ref = e.nearest_neighbours_top5_cosine;
    expect(nn.ids).toEqual(ref.ids);
    const err = maxAbsDiff(nn.similarity.flat(), ref.similarity.flat());
    console.log(`${fixture} on ${testBackend}: neighbour similarity max abs error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });

  it('attaches display tokens, falling back to the id', async () => {
    const nn = await nearestNeighbours(prompt, loaded.model.weights.shared, 2);
    const rows = withTokens(nn, (id) => (id % 2 === 0 ? `tok${id}` : undefined));
    expect(rows).toHaveLength(e.prompt.shape[0]!);
    const first = rows[0]![0]!;
    expect(first.id).toBe(e.nearest_neighbours_top5_cosine.ids[0]![0]);
    expect(first.token).toBe(first.id % 2 === 0 ? `tok${first.id}` : `[${first.id}]`);
    expect(first.similarity).toBe(nn.similarity[0]![0]);
  });
});
