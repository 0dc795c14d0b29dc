import * as d3 from 'd3';
import { memo, useId, useMemo, useState } from 'react';
import type { NeighbourToken } from '../../core/worker/protocol';
import { displayToken, labelWordMatcher } from './chartUtils';
import './chartsShared.css';
import './NeighboursView.css';

export interface NeighbourSnapshot {
  step: number;
  tokens: NeighbourToken[][];
  /** Per prompt token: its norm and the percentage of vocabulary embeddings with a smaller one. */
  norms?: Array<{ norm: number; vocabPercentile: number }>;
}

export interface NeighboursViewProps {
  snapshots: NeighbourSnapshot[];
  /** Words of the class labels; neighbours spelling one of them are highlighted. */
  labelWords: string[];
  /**
   * The chosen snapshot (null: follow the newest), when a parent shares the slider with other
   * views; without it the view keeps its own.
   */
  pinned?: number | null;
  onPinnedChange?(pinned: number | null): void;
}

/** Neighbours listed per prompt token. */
const TOP_K = 5;
/** Bar width in percent of its track for a cosine similarity (negatives clamp to 0). */
const barScale = d3.scaleLinear().domain([0, 1]).range([0, 100]).clamp(true);
const fmtSim = d3.format('.2f');
const fmtNorm = d3.format('.3~g');
/** "p97": the percentile among the vocabulary's norms. */
const fmtPct = (p: number) => `p${p < 1 && p > 0 ? '<1' : p > 99 && p < 100 ? '>99' : Math.round(p)}`;

function Token({ token }: { token: string }) {
  const { lead, text } = displayToken(token);
  return (
    <>
      {lead && (
        <span className="neighbours__lead" title="word start (SentencePiece ▁)">
          {lead}
        </span>
      )}
      {text === '' && !lead ? <span className="neighbours__lead">∅</span> : text}
    </>
  );
}

interface ColumnProps {
  index: number;
  neighbours: NeighbourToken[];
  isLabel: (token: string) => boolean;
  norm?: { norm: number; vocabPercentile: number };
}

/** Outside the central 98% of the vocabulary's norms: the token is not near any word (as embeddingNorms.normBand). */
const outsideVocabulary = (p: number) => p < 1 || p > 99;

const Column = memo(function Column({ index, neighbours, isLabel, norm }: ColumnProps) {
  const top = neighbours.slice(0, TOP_K);
  const outside = norm !== undefined && outsideVocabulary(norm.vocabPercentile);
  return (
    <li className="neighbours__column">
      <div className="neighbours__head">P{index + 1}</div>
      {norm && (
        <div
          className={outside ? 'neighbours__norm neighbours__norm--outside' : 'neighbours__norm'}
          title={`norm ${norm.norm.toFixed(3)}, larger than ${norm.vocabPercentile.toFixed(1)}% of the vocabulary's embeddings${outside ? ": outside the vocabulary's norms, so this token is not a word and its neighbours only the least distant ones" : ''}`}
          data-testid="token-norm"
        >
          ‖{fmtNorm(norm.norm)}‖ · {fmtPct(norm.vocabPercentile)}
          {outside && <span className="charts-sr-only"> (outside the vocabulary's norms: not a word)</span>}
        </div>
      )}
      <ol className="neighbours__list" aria-label={`prompt token ${index + 1}`}>
        {top.map((n, rank) => {
          const label = isLabel(n.token);
          const sim = Number.isFinite(n.similarity) ? n.similarity : 0;
          return (
            <li
              key={rank}
              className={label ? 'neighbours__item neighbours__item--label' : 'neighbours__item'}
              title={`${n.token} (id ${n.id}) · cosine ${fmtSim(sim)}${label ? ' · label word' : ''}`}
            >
              <span className="neighbours__token">
                <Token token={n.token} />
                {label && <span className="charts-sr-only"> (label word)</span>}
              </span>
              <span className="neighbours__sim">
                <span className="neighbours__track" aria-hidden="true">
                  <span className="neighbours__bar" style={{ width: `${barScale(sim)}%` }} />
                </span>
                <span className="neighbours__num">{fmtSim(sim)}</span>
              </span>
            </li>
          );
        })}
        {top.length === 0 && <li className="neighbours__item neighbours__none">–</li>}
      </ol>
    </li>
  );
});

/**
 * The nearest vocabulary tokens (cosine similarity) of each soft-prompt token, one column per
 * prompt token, with a slider back through earlier snapshots. Follows the newest snapshot unless
 * the user scrubbed away from it.
 */
export function NeighboursView({ snapshots, labelWords, pinned: sharedPinned, onPinnedChange }: NeighboursViewProps) {
  // null: follow the newest snapshot; otherwise the index the user chose.
  const [ownPinned, setOwnPinned] = useState<number | null>(null);
  const controlled = onPinnedChange !== undefined;
  const pinned = controlled ? (sharedPinned ?? null) : ownPinned;
  const setPinned = controlled ? onPinnedChange : setOwnPinned;
  const sliderId = useId();
  const isLabel = useMemo(() => labelWordMatcher(labelWords), [labelWords]);

  const count = snapshots.length;
  // A new run (fewer snapshots than before) returns to following the newest one.
  const [prevCount, setPrevCount] = useState(count);
  if (count !== prevCount) {
    setPrevCount(count);
    // (A parent that shares the slider resets it itself: no update of another component mid-render.)
    if (count < prevCount && !controlled) setOwnPinned(null);
  }
  const live = pinned === null || pinned >= count;
  const index = live ? count - 1 : pinned;
  const snapshot = index >= 0 ? snapshots[index] : undefined;

  if (!snapshot) {
    return (
      <div className="neighbours" data-testid="neighbours-view" data-step="">
        <p className="charts-empty">No neighbours yet: they appear here while training runs.</p>
      </div>
    );
  }

  const onSlide = (value: number) => setPinned(value >= count - 1 ? null : value);

  return (
    <div className="neighbours" data-testid="neighbours-view" data-step={snapshot.step}>
      <div className="neighbours__controls">
        <label htmlFor={sliderId} className="neighbours__slider-label">
          Snapshot
        </label>
        <input
          id={sliderId}
          className="neighbours__slider"
          type="range"
          min={0}
          max={Math.max(0, count - 1)}
          step={1}
          value={index}
          disabled={count < 2}
          aria-valuetext={`step ${snapshot.step}`}
          onChange={(e) => onSlide(Number(e.target.value))}
        />
        <output htmlFor={sliderId} className="neighbours__step">
          step {snapshot.step}
        </output>
        <button type="button" className="neighbours__live" onClick={() => setPinned(null)} disabled={live} aria-pressed={live}>
          {live ? '● Live' : 'Live'}
        </button>
        <span className="neighbours__hint">
          {snapshot.tokens.length} prompt tokens · top {TOP_K} by cosine similarity
          {labelWords.length > 0 && (
            <>
              {' · '}
              <span className="neighbours__item--label">label words</span> highlighted
            </>
          )}
        </span>
      </div>
      <div className="neighbours__scroller" tabIndex={0} role="region" aria-label={`Nearest vocabulary tokens at step ${snapshot.step}`}>
        <ol className="neighbours__columns">
          {snapshot.tokens.map((neighbours, i) => (
            <Column key={i} index={i} neighbours={neighbours} isLabel={isLabel} norm={snapshot.norms?.[i]} />
          ))}
        </ol>
      </div>
    </div>
  );
}
