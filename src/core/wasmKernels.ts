/**
 * Kernels the TF.js WASM backend (4.22) lacks but prompt tuning needs, written in JS on the WASM
 * heap. Only UnsortedSegmentSum: the trainer sums row losses per ensemble member with it, and it is
 * the gradient of tf.gather (the prompt is gathered per row in routedEncoderInput). Tensors are
 * tiny (one value per row, or [rows, P, d_model] once per step), so JS is fast enough.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmBackendLike {
  readSync(dataId: object): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
}

let registered = false;

export function registerWasmKernels(): void {
  if (registered || tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      const b = backend as unknown as WasmBackendLike;
      const values = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      const inner = x.shape.slice(1).reduce((a, d) => a * d, 1);
      const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i]!;
        if (s < 0 || s >= numSegments) continue;
        const from = i * inner;
        const to = s * inner;
        for (let j = 0; j < inner; j++) out[to + j] = out[to + j]! + values[from + j]!;
      }
      return b.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype, undefined, out);
    },
  });
}
