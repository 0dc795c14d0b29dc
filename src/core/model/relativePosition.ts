/**
 * T5's bucketed relative positions. Buckets are small integers computed on the CPU once per
 * (query length, key length); the log bucket is computed in float32 (Math.fround at each step),
 * as PyTorch does, so positions near a bucket boundary land where the reference puts them.
 */
export function relativePositionBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let buckets = numBuckets;
  let bucket = 0;
  let n: number;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (relativePosition > 0) bucket += buckets;
    n = Math.abs(relativePosition);
  } else {
    n = Math.max(-relativePosition, 0);
  }
  const maxExact = Math.floor(buckets / 2);
  if (n < maxExact) return bucket + n;
  const f = Math.fround;
  const logRatio = f(Math.log(f(n / maxExact)));
  const scaled = f(f(logRatio / f(Math.log(maxDistance / maxExact))) * (buckets - maxExact));
  const large = Math.min(maxExact + Math.trunc(scaled), buckets - 1);
  return bucket + large;
}

/** Buckets for every (query i, key j) pair, row-major [queryLength, keyLength]; relative position = j - i. */
export function relativePositionBuckets(queryLength: number, keyLength: number, bidirectional: boolean, numBuckets: number, maxDistance: number): Int32Array {
  const out = new Int32Array(queryLength * keyLength);
  for (let i = 0; i < queryLength; i++) {
    for (let j = 0; j < keyLength; j++) out[i * keyLength + j] = relativePositionBucket(j - i, bidirectional, numBuckets, maxDistance);
  }
  return out;
}
