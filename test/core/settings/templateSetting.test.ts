/**
 * The input template as a training setting: one contract for the studio, the link, the CLI, the
 * worker's run and the cluster recipe, with its default, its bound and its words.
 */
import { describe, expect, it } from 'vitest';
import { readSettings, settingsHelp } from '../../../src/cli/settingsFlags';
import { paperDefaults } from '../../../src/app/train/trainSettings';
import { recipeSettings, settingLimits } from '../../../src/core/job/jobRecipe';
import { decodeLink, encodeLink } from '../../../src/core/settings/studioLink';
import { DEFAULT_SETTINGS, TRAINING_SETTINGS, validate, withDefaults } from '../../../src/core/settings/trainingSettings';

const template = 'question: {question} context: {text}';

describe('the template setting', () => {
  it('defaults to the plain text and accepts any text up to its bound', () => {
    expect(DEFAULT_SETTINGS.template).toBe('{text}');
    expect(validate({ template })).toEqual([]);
    expect(validate({ template: 'x'.repeat(TRAINING_SETTINGS.template.maxLength) })).toEqual([]);
    expect(validate({ template: 'x'.repeat(2001) })).toEqual([{ key: 'template', message: 'Input template must be text of at most 2000 characters; got 2001 characters' }]);
    expect(validate({ template: 7 as unknown as string })).toEqual([{ key: 'template', message: 'Input template must be text of at most 2000 characters; got 7' }]);
  });

  it('travels in the studio link like every other setting, spaces and braces intact', () => {
    const hash = encodeLink({ settings: { ...withDefaults({}), template } });
    expect(hash).toBe(`template=${encodeURIComponent(template).replace(/%20/g, '+')}`);
    expect(decodeLink(hash)).toEqual({ link: { settings: { template } }, problems: [] });
    // the default is left out
    expect(encodeLink({ settings: withDefaults({}) })).toBe('');
  });

  it('is the CLI flag --template, read as written, with its help line', () => {
    expect(readSettings({ template }, ['template'])).toEqual({ template });
    expect(settingsHelp(['template'])).toMatch(/^ {2}--template T +How each row is written for the model: .* \(default "\{text\}"\)$/);
  });

  it('is kept by "Paper defaults" (it belongs to the data) and written into a cluster recipe', () => {
    const mine = withDefaults({ template, promptLength: 7 });
    expect(paperDefaults(mine)).toMatchObject({ template, promptLength: DEFAULT_SETTINGS.promptLength });
    expect(recipeSettings(mine).template).toBe(template);
    expect(settingLimits().template).toEqual({ kind: 'text', maxLength: 2000 });
  });
});
