/** Rows of a labelled file matched to an imported prompt's labels, by the data's label or by the text. */
import { describe, expect, it } from 'vitest';
import { rowsInTaskLabels, taskFromRecordedLabels } from '../../../src/core/task/labelMatching';

describe('taskFromRecordedLabels', () => {
  it('takes the data labels from label_map, the texts as targets', () => {
    const task = taskFromRecordedLabels({ labels: ['positive', 'negative'], labelValues: ['1', '-1'], template: 'Review: {text}' });
    expect(task.labels).toEqual(['1', '-1']);
    expect(task.targetTexts).toEqual(['positive', 'negative']);
    expect(task.template).toBe('Review: {text}');
  });

  it('uses the texts as labels when the file records no mapping (or one of the wrong length)', () => {
    expect(taskFromRecordedLabels({ labels: ['spam', 'ham'] })).toMatchObject({ labels: ['spam', 'ham'], targetTexts: ['spam', 'ham'], template: '{text}' });
    expect(taskFromRecordedLabels({ labels: ['spam', 'ham'], labelValues: ['1'] }).labels).toEqual(['spam', 'ham']);
  });
});

describe('rowsInTaskLabels', () => {
  const task = { labels: ['1', '-1'], targetTexts: ['positive', 'negative'] };

  it('keeps raw labels 1/-1 and maps texts to them; anything else stays unknown', () => {
    const rows = [
      { text: 'a', label: '1' },
      { text: 'b', label: '-1' },
      { text: 'c', label: 'positive' },
      { text: 'd', label: 'negative' },
      { text: 'e', label: '0' },
    ];
    expect(rowsInTaskLabels(task, rows).map((r) => r.label)).toEqual(['1', '-1', '1', '-1', '0']);
    expect(rowsInTaskLabels(task, rows).map((r) => r.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('prefers the label value when a text equals another label (swapped 0/1)', () => {
    const swapped = { labels: ['0', '1'], targetTexts: ['1', '0'] };
    expect(rowsInTaskLabels(swapped, [{ text: 'x', label: '1' }, { text: 'y', label: '0' }]).map((r) => r.label)).toEqual(['1', '0']);
  });
});
