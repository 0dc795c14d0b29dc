/**
 * The sanity checks before training (core/data/datasetChecks) as items of the Data step's problem
 * list: leakage and test-set overlap as warnings, imbalance and small classes as notes. None of
 * them blocks training; each says what it means for the numbers the studio will show. DOM-free.
 */
import type { DatasetChecks } from '../../core/data/datasetChecks';
import type { LabelTextIssue } from '../../core/data/labelTexts';
import type { DataProblem } from './problems';

const q = (s: string) => `‘${s.length > 60 ? `${s.slice(0, 60)}…` : s}’`;
const n = (k: number, one: string, many = `${one}s`) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;
const pct = (x: number) => `${Number((100 * x).toFixed(1))}%`;

/** `classes: false` (a text-to-text task, whose targets are answers) leaves out the class checks. */
export function checkProblems(c: DatasetChecks, validationFraction: number, { classes = true } = {}): DataProblem[] {
  const out: DataProblem[] = [];
  const d = c.duplicates;
  if (d.rows > 0) {
    out.push({
      severity: 'warning',
      title: `${n(d.rows, 'row')} ${d.rows === 1 ? 'repeats' : 'repeat'} the text of another row`,
      detail:
        `${n(d.texts, 'text appears', 'texts appear')} more than once (for example ${q(d.example!)})` +
        (d.conflicting > 0 ? `, ${d.conflicting} of them with different labels` : '') +
        '. A random validation split puts copies of training rows in validation (leakage), so validation accuracy looks better than it is. Remove the duplicate rows for an honest number.',
    });
  }
  const t = c.testOverlap;
  if (t && t.rows > 0) {
    out.push({
      severity: 'warning',
      title: `${n(t.rows, 'test example')} of ${t.of.toLocaleString('en-US')} ${t.rows === 1 ? 'is' : 'are'} also in the training file`,
      detail: `For example ${q(t.example!)}. The test score is not out-of-sample for them; remove them from one of the files.`,
    });
  }
  if (classes && c.imbalanced) {
    out.push({
      severity: 'note',
      title: `The classes are very imbalanced: ${q(c.majority.label)} is ${pct(c.majority.accuracy)} of the examples`,
      detail: `Always answering ${q(c.majority.label)} already scores ${pct(c.majority.accuracy)} accuracy (the smallest class, ${q(c.minority.label)}, has ${n(c.minority.count, 'example')}). Judge the validation accuracy against that baseline, not against chance.`,
    });
  }
  if (classes && c.smallClasses.length > 0) {
    const listed = c.smallClasses.slice(0, 6).map((s) => `${q(s.label)} (${s.count})`).join(', ') + (c.smallClasses.length > 6 ? ', …' : '');
    const never = c.smallClasses.filter((s) => s.validation === 0).map((s) => q(s.label));
    out.push({
      severity: 'note',
      title: `${n(c.smallClasses.length, 'label has', 'labels have')} fewer examples than a ${pct(validationFraction)} validation split needs: ${listed}`,
      detail:
        `A label needs ${c.smallClasses[0]!.needed} examples for ${pct(validationFraction)} of them to be one. ` +
        (never.length > 0 ? `${never.join(', ')} cannot be validated at all (one example, kept for training). ` : '') +
        'The others give one example to validation, a large share of what they have; their validation accuracy is a matter of luck. Add examples or merge rare labels.',
    });
  }
  return out;
}

/** Two labels trained to write the same text: the one label-text problem that stops training. */
export function labelTextProblems(issues: readonly LabelTextIssue[]): DataProblem[] {
  return issues
    .filter((i) => i.severity === 'blocking')
    .map((i) => ({ severity: 'blocking', title: 'Two labels share a text', detail: `${i.message[0]!.toUpperCase()}${i.message.slice(1)}, in the table below.` }));
}
