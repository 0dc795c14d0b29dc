/** The task type travels in prompt files and PEFT zips; files without it are classification prompts. */
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import { exportPeftZip, readPeftZip } from '../../../src/core/promptFile/peftAdapter';
import { PROMPT_TENSOR, readPromptFile, writePromptFile } from '../../../src/core/promptFile/promptFile';
import { trainedPromptMetadata } from '../../../src/core/promptFile/promptMetadata';

const prompt = { length: 2, width: 3, values: new Float32Array([1, 2, 3, 4, 5, 6]) };

describe('task type in prompt metadata', () => {
  it('records a text-to-text prompt as task "text", without a label list, through both formats', () => {
    const metadata = trainedPromptMetadata({ baseModel: 'm', dModel: 3, task: { kind: 'text', targetTexts: ['Paris', 'London'], template: 'question: {question} context: {text}' }, init: 'vocab', steps: 5 });
    const file = readPromptFile(writePromptFile(prompt, metadata));
    expect(file.metadata.task).toBe('text');
    expect(file.metadata.labels).toBeUndefined();
    expect(file.metadata.template).toBe('question: {question} context: {text}');
    expect(readPeftZip(exportPeftZip(prompt, metadata)).metadata.task).toBe('text');
  });

  it('records classification explicitly, and reads old files (no task) as having none', () => {
    const metadata = trainedPromptMetadata({ baseModel: 'm', dModel: 3, task: { targetTexts: ['yes', 'no'], template: '{text}' }, init: 'labels', steps: 1 });
    expect(readPromptFile(writePromptFile(prompt, metadata)).metadata).toMatchObject({ task: 'classify', labels: ['yes', 'no'] });
    const old = writeSafetensors({ [PROMPT_TENSOR]: { shape: [2, 3], data: prompt.values } }, { format: 'pt', labels: '["yes","no"]' });
    expect(readPromptFile(old).metadata.task).toBeUndefined();
  });

  it('ignores an unknown task with a note', () => {
    const odd = writeSafetensors({ [PROMPT_TENSOR]: { shape: [2, 3], data: prompt.values } }, { format: 'pt', task: 'summarise' });
    const file = readPromptFile(odd);
    expect(file.metadata.task).toBeUndefined();
    expect(file.notes).toEqual(['the "task" metadata ("summarise") is neither classify nor text; it was ignored.']);
  });
});
