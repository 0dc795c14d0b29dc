/** Number formats shared by the loss chart's summary, read-out and tables. */
import { format } from 'd3';

const fmtFixed = format('.3f');
const fmtBig = format(',.1f');
const fmtTiny = format('.2~e');

/** Losses span from thousands (a diverging run) to 1e-5 (a memorised set): one fixed format would lose one end. */
export function fmtLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return fmtBig(v);
  if (a >= 0.01 || a === 0) return fmtFixed(v);
  return fmtTiny(v);
}

export const fmtAcc = format('.1%');
export const fmtStep = format(',d');
