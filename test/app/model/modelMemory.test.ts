/**
 * The Model step's memory check before a download: the settings as a run, the budget per backend,
 * the GPU measured by allocating what the run needs (a fake GPU here), a Hub repo's config.json
 * read first, and a refusal that names a smaller preset that fits.
 */
import { describe, expect, it } from 'vitest';
import { fetchHubConfig, memoryVerdict, runShape, shortVerdict, staticBudget, verdictBeforeDownload } from '../../../src/app/model/modelMemory';
import { modelSpecFor } from '../../../src/app/model/modelSpecFor';
import { formatBytes } from '../../../src/core/model/memoryFit';
import { presetById } from '../../../src/core/model/presets';
import { withDefaults } from '../../../src/core/settings/trainingSettings';

const settings = withDefaults({});
const preset = (id: string) => presetById(id)!;

/** A GPU whose device holds `capacity` bytes: createBuffer beyond it reports out-of-memory in the error scope. */
function fakeGpu(capacity: number) {
  let used = 0;
  let failed = false;
  const limits = { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 };
  return {
    allocated: () => used,
    gpu: {
      requestAdapter: async () => ({
        limits,
        requestDevice: async () => ({
          pushErrorScope: () => void (failed = false),
          popErrorScope: async () => (failed ? { message: 'out of memory' } : null),
          createBuffer: ({ size }: { size: number }) => {
            const fits = used + size <= capacity;
            if (fits) used += size;
            else failed = true;
            return { destroy: () => void (used -= fits ? size : 0) };
          },
          destroy: () => undefined,
        }),
      }),
    },
  };
}

describe('the Model step’s memory check', () => {
  it('turns the settings into the run the estimate needs', () => {
    expect(runShape(withDefaults({ batchSize: 8, promptLength: 20, dropoutRate: 0 }))).toEqual({ batchSize: 8, promptLength: 20, maxInputTokens: 256, ensembleSize: 1, optimizer: 'adafactor', maxTokensPerPass: 2048, dropout: false });
  });

  it('knows WebAssembly’s 4 GiB, a GPU’s buffer limits, and that the CPU and WebGL do not say', () => {
    expect(staticBudget('wasm')).toMatchObject({ totalBytes: 2.6e9, maxTensorBytes: 4 * 2 ** 30 });
    const gpu = staticBudget('webgpu', { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 });
    expect(gpu?.maxTensorBytes).toBe(2 ** 31);
    expect(gpu?.totalBytes).toBeUndefined();
    expect(staticBudget('cpu')?.totalBytes).toBeUndefined();
    expect(staticBudget('webgl')?.totalBytes).toBeUndefined();
    expect(staticBudget(undefined)).toBeUndefined();
  });

  it('refuses T5-large on WebAssembly and offers the biggest smaller preset that fits', () => {
    const v = memoryVerdict(preset('flan-t5-large').config, preset('flan-t5-large').parameters, withDefaults({ batchSize: 1 }), staticBudget('wasm')!);
    expect(v.fits).toBe(false);
    expect(v.suggestions).toEqual([expect.stringMatching(/^a smaller model, T5 v1\.1 LM-adapted base \(about \d\.\d GB\)$/)]);
    expect(memoryVerdict(preset('t5-small-lm-adapt').config, preset('t5-small-lm-adapt').parameters, settings, staticBudget('wasm')!).fits).toBe(true);
  });

  it('says a refusal on a card in one short line: the two totals, or the tensor and the buffer', () => {
    const large = preset('flan-t5-large');
    const v = memoryVerdict(large.config, large.parameters, settings, staticBudget('wasm')!);
    const line = shortVerdict(v, staticBudget('wasm')!);
    expect(line).toBe(`Needs ~${formatBytes(v.need.total)}, this device ~2.6 GB: export a cluster job (Keep)`);
    expect(v.need.total).toBeGreaterThan(2.6e9);
    expect(line.length).toBeLessThan(v.message.length / 4);
    // A GPU whose total is unknown refuses on one buffer (64 MB here) and says so.
    const gpu = staticBudget('webgpu', { maxBufferSize: 2 ** 26, maxStorageBufferBindingSize: 2 ** 26 })!;
    const onBuffer = memoryVerdict(large.config, large.parameters, settings, gpu);
    expect(onBuffer.fits).toBe(false);
    expect(onBuffer.need.largestTensor).toBeGreaterThan(2 ** 26);
    expect(shortVerdict(onBuffer, gpu)).toBe(`Largest tensor ~${formatBytes(onBuffer.need.largestTensor)}, one buffer here ~67 MB: export a cluster job (Keep)`);
  });

  it('on WebGPU, asks the GPU for the memory first: refused when it cannot hold it, everything freed either way', async () => {
    const large = preset('flan-t5-large');
    const budget = staticBudget('webgpu', { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 });
    const small = fakeGpu(4e9);
    const refused = await verdictBeforeDownload(large.config, large.parameters, settings, budget, small.gpu as never);
    expect(refused?.fits).toBe(false);
    expect(refused?.message).toMatch(/but the GPU \(measured: it held 3\.8 GB, 90% of that for tensors\) holds about 3\.4 GB of tensors/);
    expect(small.allocated()).toBe(0);
    const big = fakeGpu(64e9);
    expect((await verdictBeforeDownload(large.config, large.parameters, settings, budget, big.gpu as never))?.fits).toBe(true);
    expect(big.allocated()).toBe(0);
  });

  it('reads an unknown repo’s config.json from the Hub before its weights', async () => {
    const calls: string[] = [];
    const fetchFn = (async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify({ model_type: 't5', d_model: 768, d_kv: 64, num_heads: 12, d_ff: 2048, num_layers: 12, vocab_size: 32128, feed_forward_proj: 'gated-gelu', tie_word_embeddings: false }));
    }) as typeof fetch;
    expect((await fetchHubConfig('someone/t5-base-custom', fetchFn)).dModel).toBe(768);
    expect(calls).toEqual(['https://huggingface.co/someone/t5-base-custom/resolve/main/config.json']);
    await expect(fetchHubConfig('someone/missing', (async () => new Response('', { status: 404 })) as typeof fetch)).rejects.toThrow(/no config.json on the Hub \(HTTP 404\)/);
  });

  it('loads the v1.1 repos’ tokenizer from t5-small, which has tokenizer.json', () => {
    expect(modelSpecFor('google/t5-xl-lm-adapt')).toMatchObject({ base: 'https://huggingface.co/google/t5-xl-lm-adapt/resolve/main', tokenizerBase: 'https://huggingface.co/google-t5/t5-small/resolve/main' });
    expect(modelSpecFor('someone/t5')).not.toHaveProperty('tokenizerBase');
  });
});
