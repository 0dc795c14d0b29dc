/**
 * The Data step's pure parts on real-shaped files: what the page reads (CSV with or without a
 * header, TSV, JSON Lines), the dataset it hands the studio (label texts for the worker's rename,
 * the majority baseline), the sanity notes, and predictions written back with the data's labels.
 */
import { describe, expect, it } from 'vitest';
import { checkDataset } from '../../../src/core/data/datasetChecks';
import { buildExamples } from '../../../src/core/data/dataset';
import { resolveLabelTexts } from '../../../src/core/data/labelTexts';
import { checkProblems, labelTextProblems } from '../../../src/app/data/checkProblems';
import { parseCsvBytes } from '../../../src/app/data/csvProtocol';
import { makeChoice, summaryLine } from '../../../src/app/data/datasetChoice';
import { mappingFromTexts, originalLabels } from '../../../src/app/keep/originalLabels';
import { checkLabelTexts } from '../../../src/core/data/labelTexts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('what the Data step reads', () => {
  it('a headerless label-first CSV: every row, columns by position, the decision recorded', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${i % 3 ? '1' : '-1'},"sentence ${i}, with a comma"`);
    const { table, format } = parseCsvBytes(utf8(lines.join('\r\n')), 'rt-polarity.csv');
    expect(format).toBe('csv');
    expect(table.rows).toHaveLength(30);
    expect(table.columns).toEqual(['column 1', 'column 2']);
    expect(table.header).toMatchObject({ hasHeader: false, detected: true });
    // The switch reads the same bytes with the first row as the header: one row fewer, named after it.
    const forced = parseCsvBytes(utf8(lines.join('\r\n')), 'rt-polarity.csv', 'yes').table;
    expect(forced.rows).toHaveLength(29);
    expect(forced.columns).toEqual(['-1', 'sentence 0, with a comma']);
  });

  it('JSON Lines by extension, and its summary says JSON records', () => {
    const { table, format } = parseCsvBytes(utf8('{"text":"good","label":1}\n{"text":"bad","label":0}\n'), 'train.jsonl');
    expect(format).toBe('json');
    expect(table.rows).toEqual([['good', '1'], ['bad', '0']]);
    expect(summaryLine(2, 2, 'utf-8', table.delimiter)).toBe('2 examples, 2 classes, UTF-8, JSON records');
    // A text task's targets are answers, not classes.
    expect(summaryLine(1204, 1, 'utf-8', ',', true)).toBe('1,204 examples, 1 distinct answer, UTF-8, comma-separated');
  });
});

describe('the dataset the studio trains on', () => {
  const { table } = parseCsvBytes(utf8(['label\ttext', ...Array.from({ length: 20 }, (_, i) => `${i < 16 ? 0 : 1}\treview ${i}`)].join('\n')), 'reviews.tsv');
  const built = buildExamples(table, 'text', 'label');

  it('label texts name every label (for the worker), and the majority baseline is the largest class share', () => {
    const texts = resolveLabelTexts(['0', '1'], { '1': 'positive' });
    const choice = makeChoice('reviews.tsv', table, 'utf-8', 'text', 'label', built, texts)!;
    expect(choice.labelTexts).toEqual({ '0': '0', '1': 'positive' });
    expect(choice.majorityBaseline).toEqual({ label: '0', accuracy: 16 / 20 });
  });

  it('two labels with one text: no dataset (training waits), and a blocking problem that says why', () => {
    const texts = resolveLabelTexts(['0', '1'], { '0': 'good', '1': 'good' });
    expect(makeChoice('reviews.tsv', table, 'utf-8', 'text', 'label', built, texts)).toBeUndefined();
    const problems = labelTextProblems(checkLabelTexts(texts));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'blocking', title: 'Two labels share a text' });
  });

  it('the sanity notes: imbalance with the baseline, duplicates, test overlap, small classes; none blocking', () => {
    const examples = [...built.examples, { text: 'review 3', label: '0' }, { text: 'lonely', label: '2' }];
    const problems = checkProblems(checkDataset(examples, { validationFraction: 0.1, test: [{ text: 'review 19', label: '1' }] }), 0.1);
    expect(problems.map((p) => p.severity)).toEqual(['warning', 'warning', 'note', 'note']);
    expect(problems[0]!.title).toBe('1 row repeats the text of another row');
    expect(problems[1]!.title).toBe('1 test example of 1 is also in the training file');
    // 17 of the 22 examples are '0'; the smallest class ('2') has 1.
    expect(problems[2]!.title).toBe(`The classes are very imbalanced: ‘0’ is ${Number(((100 * 17) / 22).toFixed(1))}% of the examples`);
    expect(problems[3]!.title).toBe('2 labels have fewer examples than a 10% validation split needs: ‘1’ (4), ‘2’ (1)');
    expect(problems[3]!.detail).toMatch(/‘2’ cannot be validated at all/);
    // A text-to-text task's targets are answers, not classes: only the leakage warnings remain.
    const textProblems = checkProblems(checkDataset(examples, { validationFraction: 0.1, test: [{ text: 'review 19', label: '1' }] }), 0.1, { classes: false });
    expect(textProblems.map((p) => p.title)).toEqual([problems[0]!.title, problems[1]!.title]);
  });
});

describe('predictions in the data labels', () => {
  it('maps the texts back through the first mapping that covers them (in any order), else keeps the texts', () => {
    const trained = { labels: ['1', '-1'], targetTexts: ['positive', 'negative'] };
    expect(originalLabels(['positive', 'negative'], [undefined, trained])).toEqual(['1', '-1']);
    expect(originalLabels(['negative', 'positive'], [trained])).toEqual(['-1', '1']);
    expect(originalLabels(['yes', 'no'], [trained])).toEqual(['yes', 'no']);
    expect(originalLabels(['positive', 'negative', 'neutral'], [trained])).toEqual(['positive', 'negative', 'neutral']);
    expect(originalLabels(['spam', 'ham'], [mappingFromTexts({ spam: 'spam', ham: 'ham' })])).toEqual(['spam', 'ham']);
    expect(originalLabels(['great', 'awful'], [mappingFromTexts({ '5': 'great', '1': 'awful' })])).toEqual(['5', '1']);
  });
});
