/**
 * Label texts (verbalizers): the text the model is trained to write for each label. Prompt tuning
 * turns classification into writing the label's text, and class-label initialisation starts the
 * prompt from the embeddings of those texts, so "1" / "-1" train a model to write digits while
 * "positive" / "negative" start from words it knows. This module suggests words for labels that
 * are numbers or codes and checks a mapping for texts the model cannot tell apart or that are long.
 * DOM-free: the studio's label table and the CLI's `train` share it.
 */
import { isNumberLike } from './columnNames';

export interface LabelTextSuggestion {
  /** The texts in label order, for a button: "negative / positive". */
  name: string;
  /** label → text, for every label. */
  texts: Record<string, string>;
}

export interface LabelTextIssue {
  /** 'blocking': two labels would be trained to write the same text. */
  severity: 'blocking' | 'warning';
  kind: 'same-text' | 'shared-first-token' | 'long';
  labels: string[];
  message: string;
}

/** A text longer than this many tokens (</s> not counted) gets a warning. */
export const MAX_LABEL_TOKENS = 4;

/** Common abbreviations in label columns and the word each stands for. */
const CODE_WORDS = new Map(Object.entries({
  pos: 'positive', neg: 'negative', neu: 'neutral', neut: 'neutral', neutr: 'neutral',
  y: 'yes', n: 'no', t: 'true', f: 'false', ent: 'entailment', con: 'contradiction', contra: 'contradiction',
}));
const codeWord = (label: string) => CODE_WORDS.get(label.trim().toLowerCase());

/** Sets of words for 2, 3 and 5 ordered classes (lowest first). */
const ORDERED: Record<number, string[][]> = {
  2: [['negative', 'positive'], ['no', 'yes'], ['false', 'true']],
  3: [['negative', 'neutral', 'positive']],
  5: [['terrible', 'bad', 'okay', 'good', 'great']],
};

/** "label_1", "LABEL-0", "class 2" → the number; else undefined. */
function codeNumber(label: string): number | undefined {
  const core = label.trim().replace(/^(label|class|cls|lbl|category)[ _-]?(?=[-+]?\d+$)/i, '');
  if (!/^[-+]?\d+$/.test(core)) return undefined;
  return Number(core);
}

/** Labels that are numbers ("1", "-1", "LABEL_0") or short codes ("pos", "y"): not words the model knows. */
export function labelsLookLikeCodes(labels: readonly string[]): boolean {
  return labels.length > 0 && labels.every((l) => codeNumber(l) !== undefined || isNumberLike(l.trim()) || l.trim().length <= 2 || codeWord(l) !== undefined);
}

/**
 * Words for labels that are numbers or codes: 1 / -1 and 0 / 1 → positive / negative, yes / no,
 * true / false (the larger number the positive one); -1 / 0 / 1 and 0 / 1 / 2 → negative / neutral
 * / positive; 1–5 → terrible … great; pos / neg, y / n → the words they abbreviate. These are
 * guesses to confirm: nothing here knows what the labels mean. None for labels that are words.
 */
export function suggestLabelTexts(labels: readonly string[]): LabelTextSuggestion[] {
  if (labels.length < 2 || !labelsLookLikeCodes(labels)) return [];
  const numbers = labels.map(codeNumber);
  if (numbers.every((n) => n !== undefined)) {
    const sorted = [...new Set(numbers as number[])].sort((a, b) => a - b);
    const consecutive = sorted.every((n, i) => i === 0 || n === sorted[i - 1]! + 1);
    // Two classes need not be consecutive (1 / -1); more are taken as a scale only when they are.
    if (sorted.length !== labels.length || (labels.length > 2 && !consecutive)) return [];
    return (ORDERED[labels.length] ?? []).map((words) => suggestion(labels, (l) => words[sorted.indexOf(codeNumber(l)!)]!));
  }
  const words = labels.map(codeWord);
  if (words.every((w) => w !== undefined) && new Set(words).size === labels.length) return [suggestion(labels, (l) => codeWord(l)!)];
  return [];
}

function suggestion(labels: readonly string[], textOf: (label: string) => string): LabelTextSuggestion {
  const texts = Object.fromEntries(labels.map((l) => [l, textOf(l)]));
  return { name: labels.map((l) => texts[l]).join(' / '), texts };
}

/** Every label's text: the edit when it is not blank, else the label itself. */
export function resolveLabelTexts(labels: readonly string[], edits: Readonly<Record<string, string>>): Record<string, string> {
  // Own keys only: a label may well be called "constructor".
  return Object.fromEntries(labels.map((l) => [l, (Object.hasOwn(edits, l) ? edits[l]!.trim() : '') || l]));
}

/** Only the labels whose text differs from the label: what `--label-text` and the worker's `rename` take. */
export function renamedLabels(texts: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([label, text]) => text !== label));
}

/**
 * Problems with a mapping. `tokenize` gives a text's pieces (without </s>) with the model's
 * tokenizer; without it (the studio's page has no tokenizer) a word-based estimate stands in,
 * and the messages say "word" and "about".
 */
export function checkLabelTexts(texts: Readonly<Record<string, string>>, tokenize?: (text: string) => readonly string[]): LabelTextIssue[] {
  const issues: LabelTextIssue[] = [];
  const byText = new Map<string, string[]>();
  for (const [label, text] of Object.entries(texts)) byText.set(text, [...(byText.get(text) ?? []), label]);
  for (const [text, labels] of byText) {
    if (labels.length < 2) continue;
    issues.push({
      severity: 'blocking',
      kind: 'same-text',
      labels,
      message: `labels ${listLabels(labels)} would all be trained to write ${q(text)}, so the model could not tell them apart: give each label its own text`,
    });
  }

  const distinct = [...byText.keys()];
  const pieces = new Map(distinct.map((t) => [t, tokenize ? [...tokenize(t)] : estimatePieces(t)]));
  const byFirst = new Map<string, string[]>();
  for (const t of distinct) {
    const first = pieces.get(t)![0] ?? '';
    if (first !== '') byFirst.set(first, [...(byFirst.get(first) ?? []), t]);
  }
  const unit = tokenize ? 'token' : 'word';
  for (const [first, group] of byFirst) {
    if (group.length < 2) continue;
    const labels = group.flatMap((t) => byText.get(t)!);
    issues.push({
      severity: 'warning',
      kind: 'shared-first-token',
      labels,
      message: `the texts ${listLabels(group)} start with the same ${unit} (${q(first.replace(/^▁/, ''))}): the model's first output ${unit} cannot tell them apart, and class-label initialisation starts them alike; texts that differ from the first ${unit} learn faster`,
    });
  }
  for (const t of distinct) {
    const n = pieces.get(t)!.length;
    if (n <= MAX_LABEL_TOKENS) continue;
    issues.push({
      severity: 'warning',
      kind: 'long',
      labels: byText.get(t)!,
      message: `${q(t)} is ${tokenize ? '' : 'about '}${n} tokens long: the model must write all of them, so short texts (one or two tokens) train faster and score more reliably`,
    });
  }
  return issues;
}

/**
 * A stand-in for SentencePiece when no tokenizer is at hand: words, with punctuation as pieces of
 * their own and long words counted as several (T5's vocabulary holds common words whole; rare
 * and long ones split). Used for the first-piece comparison too, so "very good" / "very bad" share "very".
 */
export function estimatePieces(text: string): string[] {
  const out: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
    for (const part of word.match(/[\p{L}\p{N}]+|[^\p{L}\p{N}]/gu) ?? []) {
      out.push(part);
      // A word piece of T5's vocabulary averages about 4 to 5 characters beyond the common words.
      for (let extra = Math.floor(Math.max(0, part.length - 8) / 5); extra > 0; extra--) out.push('…');
    }
  }
  return out;
}

const q = (s: string) => `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
function listLabels(labels: readonly string[]): string {
  const quoted = labels.map(q);
  return quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
