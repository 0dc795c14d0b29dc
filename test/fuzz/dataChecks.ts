/**
 * What every table and labelled file the data readers return must satisfy, shared by the CSV fuzz
 * (csv.fuzz.test.ts) and the JSON Lines / header fuzz (dataFormats.fuzz.test.ts). Each check
 * throws a FuzzFailure, so fast-check shrinks the input that broke it.
 */
import type { CsvTable } from '../../src/core/data/csvTable';
import type { LabeledCsv } from '../../src/core/data/dataset';
import { FuzzFailure } from './helpers';

/** A rectangular table: unique, trimmed, non-empty column names; string values; row numbers that increase; warnings in words. */
export function checkTable(t: CsvTable, options: { requireRowNumbers?: boolean } = {}): void {
  if (t.columns.length === 0) throw new FuzzFailure('a table with no columns');
  if (new Set(t.columns).size !== t.columns.length) throw new FuzzFailure(`column names are not unique: ${JSON.stringify(t.columns.slice(0, 20))}`);
  for (const c of t.columns) if (c === '' || c !== c.trim()) throw new FuzzFailure(`column name ${JSON.stringify(c)} is empty or untrimmed`);
  if (t.rows.length === 0) throw new FuzzFailure('a table with no rows');
  for (const r of t.rows) if (r.length !== t.columns.length) throw new FuzzFailure(`a row of ${r.length} values for ${t.columns.length} columns`);
  for (const r of t.rows) for (const v of r) if (typeof v !== 'string') throw new FuzzFailure(`a value that is not a string: ${String(v)}`);
  if (options.requireRowNumbers && !t.rowNumbers) throw new FuzzFailure('a table without row numbers');
  if (t.rowNumbers) {
    if (t.rowNumbers.length !== t.rows.length) throw new FuzzFailure('rowNumbers and rows differ in length');
    for (let i = 1; i < t.rowNumbers.length; i++) if (!(t.rowNumbers[i]! > t.rowNumbers[i - 1]!)) throw new FuzzFailure('row numbers do not increase');
  }
  for (const w of t.warnings) if (typeof w !== 'string' || w.length === 0) throw new FuzzFailure('an empty warning');
}

/** A usable labelled file: examples in at least two classes, counted right, none blank or untrimmed, text and label from different columns. */
export function checkLabeled(d: Pick<LabeledCsv, 'examples' | 'classCounts' | 'textColumn' | 'labelColumn'>): void {
  if (d.examples.length === 0) throw new FuzzFailure('no examples in a valid result');
  if (d.classCounts.size < 2) throw new FuzzFailure('fewer than two classes in a valid result');
  let total = 0;
  for (const n of d.classCounts.values()) total += n;
  if (total !== d.examples.length) throw new FuzzFailure('class counts do not add up to the examples');
  for (const e of d.examples) {
    if (e.text === '' || e.label === '' || e.text !== e.text.trim() || e.label !== e.label.trim()) throw new FuzzFailure(`a blank or untrimmed example ${JSON.stringify(e)}`);
  }
  if (d.textColumn === d.labelColumn) throw new FuzzFailure('text and label are the same column');
}
