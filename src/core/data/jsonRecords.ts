/**
 * JSON Lines (one object per line, what Hugging Face `datasets`, pandas `to_json(lines=True)` and
 * most labelling tools export) and JSON arrays of objects → the same table of strings a CSV
 * becomes, so column detection, the column picker and problem reporting work unchanged: keys are
 * columns (in order of first appearance), each record a row, its line (or item) number its row number.
 * Numbers and booleans become their text (label 1 → "1"), null an empty value, nested values JSON.
 * Lines that are not JSON objects are skipped and listed, never silently.
 */
import { RowList, type CsvTable } from './csvTable';
import { DatasetError } from './datasetError';

/** Keys beyond this many are ignored (with a warning): a table of a million columns helps nobody. */
export const MAX_JSON_KEYS = 1_000;

const EXAMPLE = 'one object per line, such as {"text": "great film", "label": "positive"}';

/** True when the text looks like JSON records: a JSON array, or a first line that is a JSON object. */
export function looksLikeJson(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0) return false;
  if (text[start] === '[') return Array.isArray(tryParse(text.replace(/^\ufeff/, '')));
  if (text[start] !== '{') return false;
  const end = text.indexOf('\n', start);
  return isObject(tryParse(text.slice(start, end < 0 ? undefined : end)));
}

export function parseJsonRecords(text: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new DatasetError('empty', `the file is empty: JSON Lines needs ${EXAMPLE}`);

  const records: Array<{ row: number; value: Record<string, unknown> }> = [];
  const notJson = new RowList();
  const notObject = new RowList();
  const trimmed = text.trimStart();
  const whole = trimmed.startsWith('[') ? tryParse(text) : undefined;
  let unit = 'line';
  if (Array.isArray(whole)) {
    // A JSON array: its items are the rows, numbered from 1.
    unit = 'item';
    whole.forEach((item, i) => (isObject(item) ? records.push({ row: i + 1, value: item }) : notObject.add(i + 1)));
  } else {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      const value = tryParse(line);
      if (value === undefined) notJson.add(i + 1);
      else if (isObject(value)) records.push({ row: i + 1, value });
      else notObject.add(i + 1);
    }
  }

  if (records.length === 0) {
    const why = trimmed.startsWith('[') && !Array.isArray(whole) ? 'it starts like a JSON array but is not valid JSON' : 'no line is a JSON object';
    throw new DatasetError('bad-json', `this is not JSON Lines: ${why}. A JSON Lines file has ${EXAMPLE}; a .json file may also be a list of such objects`);
  }

  const warnings: string[] = [];
  const units = (n: number) => `${n} ${n === 1 ? unit : `${unit}s`}`;
  if (notJson.count > 0) warnings.push(`${units(notJson.count)} ${notJson.count === 1 ? 'is' : 'are'} not valid JSON and ${notJson.count === 1 ? 'was' : 'were'} skipped (${lines(notJson, unit)})`);
  if (notObject.count > 0) warnings.push(`${units(notObject.count)} ${notObject.count === 1 ? 'is' : 'are'} JSON but not an object with keys and ${notObject.count === 1 ? 'was' : 'were'} skipped (${lines(notObject, unit)})`);

  // Keys in order of first appearance; a key's trimmed name must be unique and non-empty.
  const index = new Map<string, number>();
  const columns: string[] = [];
  const taken = new Set<string>();
  let ignoredKeys = 0;
  for (const { value } of records) {
    for (const key of Object.keys(value)) {
      if (index.has(key)) continue;
      if (columns.length >= MAX_JSON_KEYS) {
        ignoredKeys++;
        index.set(key, -1);
        continue;
      }
      let name = key.trim() || `column ${columns.length + 1}`;
      for (let n = 2; taken.has(name); n++) name = `${key.trim() || 'column'} (${n})`;
      if (name !== key) warnings.push(`the key ${quote(key)} is called ${quote(name)}`);
      taken.add(name);
      index.set(key, columns.length);
      columns.push(name);
    }
  }
  if (columns.length === 0) throw new DatasetError('bad-json', `the JSON objects have no keys: JSON Lines needs ${EXAMPLE}`);
  if (ignoredKeys > 0) warnings.push(`the records have more than ${MAX_JSON_KEYS.toLocaleString('en-US')} different keys; ${ignoredKeys.toLocaleString('en-US')} were ignored`);

  const rows = records.map(({ value }) => {
    const row: string[] = new Array(columns.length).fill('');
    for (const key of Object.keys(value)) {
      const j = index.get(key)!;
      if (j >= 0) row[j] = cellText(value[key]);
    }
    return row;
  });
  return { columns, rows, delimiter: '', warnings, rowNumbers: records.map((r) => r.row) };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "lines 3 and 7" (RowList says "rows"). */
const lines = (list: RowList, unit: string) => list.toString().replace(/^rows?/, (w) => (w === 'row' ? unit : `${unit}s`));
const quote = (s: string) => `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
