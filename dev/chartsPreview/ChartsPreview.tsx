/**
 * A development page that renders every chart with fake data, the loss chart and the neighbours
 * growing live as during training: for looking at the charts without training a prompt. Not part
 * of the app or its build; `npm start`, then open /dev/chartsPreview/ on the dev server.
 */
import { useEffect, useMemo, useState } from 'react';
import { ClassCounts, ConfusionMatrix, LossChart, NeighboursView, type LossSeries, type NeighbourSnapshot } from '../../src/app/charts';
import { seededRandom as rng } from '../../src/core/random';
import type { NeighbourToken } from '../../src/core/worker/protocol';

const VOCAB = ['▁good', '▁bad', '▁great', '▁terrible', '▁the', '▁movie', '▁positive', '▁negative', '▁film', '▁not', '</s>', '<pad>', '<unk>', 'ing', '▁awful', '▁Positive', '▁NEGATIVE', '▁review', '▁sentiment', '▁<extra_id_0>', '▁wonderful', '▁boring', '▁plot', '▁acting', '▁▁', 'ly'];

/** Extends (or starts) fake training curves up to `steps`, reusing the points already made. */
function fakeSeries(count: number, steps: number, seed: number, previous?: LossSeries[]): LossSeries[] {
  return Array.from({ length: count }, (_, k) => {
    const prev = previous?.[k];
    const from = prev ? (prev.train[prev.train.length - 1]?.step ?? 0) + 1 : 1;
    const r = rng(seed * 1000 + k * 100 + from);
    const train = prev ? [...prev.train] : [];
    const validation = prev ? [...prev.validation] : [];
    for (let s = from; s <= steps; s++) {
      const base = 0.25 + 2.6 * Math.exp(-s / (300 + 60 * k));
      train.push({ step: s, loss: Math.max(0.01, base * (0.6 + 0.8 * r())) });
      if (s % 100 === 0) validation.push({ step: s, loss: base * 1.08, accuracy: Math.min(0.97, 0.5 + 0.45 * (1 - Math.exp(-s / (350 + 50 * k)))) });
    }
    return { name: count === 1 ? 'prompt' : `prompt ${k + 1}`, train, validation };
  });
}

function fakeSnapshot(step: number, tokens: number, seed: number): NeighbourSnapshot {
  const r = rng(seed + step);
  return {
    step,
    tokens: Array.from({ length: tokens }, () => {
      const list: NeighbourToken[] = [];
      let sim = 0.2 + 0.7 * r();
      for (let k = 0; k < 5; k++) {
        const id = Math.floor(r() * VOCAB.length);
        list.push({ id, token: VOCAB[id]!, similarity: sim });
        sim -= 0.02 + 0.1 * r();
      }
      return list;
    }),
  };
}

const LABELS4 = ['positive', 'negative', 'neutral', 'mixed'];
const LABELS20 = Array.from({ length: 20 }, (_, i) => (i === 3 ? 'a_very_long_label_name_that_needs_truncation' : `class_${String.fromCharCode(97 + i)}${i % 4 === 0 ? '_extra' : ''}`));

function fakeMatrix(n: number, seed: number, total: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? Math.round(total * (0.5 + 0.4 * r())) : r() < 0.4 ? Math.round(total * 0.1 * r()) : 0)),
  );
}

export function ChartsPreview({ live = true, maxSteps = 3000 }: { live?: boolean; maxSteps?: number }) {
  const [steps, setSteps] = useState(1200);
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setSteps((s) => (s < maxSteps ? s + Math.max(25, Math.round(maxSteps / 120)) : s)), 250);
    return () => clearInterval(t);
  }, [live, maxSteps]);
  // Grown incrementally, as the app appends progress reports.
  const [ensemble, setEnsemble] = useState<LossSeries[]>(() => fakeSeries(5, steps, 7));
  const [snapshots, setSnapshots] = useState<NeighbourSnapshot[]>(() => Array.from({ length: Math.floor(steps / 100) }, (_, i) => fakeSnapshot((i + 1) * 100, 20, 11)));
  const [grownTo, setGrownTo] = useState(steps);
  if (grownTo !== steps) {
    setGrownTo(steps);
    setEnsemble((prev) => fakeSeries(5, steps, 7, prev));
    setSnapshots((prev) => {
      const next = [...prev];
      for (let s = (prev.length + 1) * 100; s <= steps; s += 100) next.push(fakeSnapshot(s, 20, 11));
      return next;
    });
  }
  const single = useMemo(() => fakeSeries(1, 800, 3), []);
  const m4 = useMemo(() => fakeMatrix(4, 5, 60), []);
  const m20 = useMemo(() => fakeMatrix(20, 9, 30), []);

  const section = { background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 8, padding: '0.75rem 1rem', marginBottom: '1rem' };
  return (
    <div style={{ padding: '1rem 1.5rem', maxWidth: '72rem' }}>
      <section style={section}>
        <h3 style={{ margin: '0 0 0.5rem' }}>Ensemble of 5 (LossChart)</h3>
        <LossChart series={ensemble} />
      </section>
      <section style={section}>
        <h3 style={{ margin: '0 0 0.5rem' }}>Single prompt (LossChart)</h3>
        <LossChart series={single} height={220} />
      </section>
      <section style={section}>
        <h3 style={{ margin: '0 0 0.5rem' }}>Empty (LossChart)</h3>
        <LossChart series={[]} height={120} />
      </section>
      <section style={section}>
        <h3 style={{ margin: '0 0 0.5rem' }}>Neighbours (20 prompt tokens)</h3>
        <NeighboursView snapshots={snapshots} labelWords={['positive', 'Negative', 'neutral']} />
      </section>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 2fr', gap: '1rem', alignItems: 'start' }}>
        <section style={section}>
          <h3 style={{ margin: '0 0 0.5rem' }}>Class counts</h3>
          <ClassCounts counts={LABELS4.map((label, i) => ({ label, count: [412, 388, 120, 37][i]! }))} />
          <h3 style={{ margin: '1rem 0 0.5rem' }}>Confusion (4)</h3>
          <ConfusionMatrix labels={LABELS4} matrix={m4} />
        </section>
        <section style={section}>
          <h3 style={{ margin: '0 0 0.5rem' }}>Confusion (20 labels)</h3>
          <ConfusionMatrix labels={LABELS20} matrix={m20} />
        </section>
      </div>
      <section style={section}>
        <h3 style={{ margin: '0 0 0.5rem' }}>Class counts (20, long labels)</h3>
        <ClassCounts counts={LABELS20.map((label, i) => ({ label, count: 10 + ((i * 37) % 90) }))} />
        <h3 style={{ margin: '1rem 0 0.5rem' }}>Empty states</h3>
        <NeighboursView snapshots={[]} labelWords={[]} />
        <ConfusionMatrix labels={[]} matrix={[]} />
        <ClassCounts counts={[]} />
      </section>
    </div>
  );
}
