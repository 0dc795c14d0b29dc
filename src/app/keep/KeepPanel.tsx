/**
 * The Keep step: download the prompt (or a PEFT adapter), import prompt files, try the prompt on
 * typed text, evaluate it on labelled data (confusion matrix), label a whole CSV, and take the
 * data and settings to a bigger T5 on a GPU cluster (ClusterJob).
 */
import { useState } from 'react';
import Papa from 'papaparse';
import type { TrainingSettings } from '../../core/settings/trainingSettings';
import type { LabeledExample } from '../../core/task/task';
import type { TaskKind } from '../../core/task/taskKind';
import { ConfusionMatrix } from '../charts';
import type { DatasetChoice } from '../data/datasetChoice';
import { readCsvFile } from '../data/useCsvFile';
import { findColumn } from '../../core/data/dataset';
import { extraTemplateFields } from '../../core/task/template';
import { saveBytes } from '../studio/saveBytes';
import type { StudioState } from '../studio/studioState';
import type { StudioWorker } from '../studio/useStudioWorker';
import { importPrompt } from '../../core/promptFile/peftAdapter';
import { ClusterJob } from './ClusterJob';
import { groupPromptFiles } from './groupPromptFiles';
import { classPredictionTable, inputColumn, textPredictionTable } from './predictionTable';
import { mappingFromTexts, originalLabels, type LabelMapping } from './originalLabels';
import { promptDesignSentence } from '../watch/promptDesignLine';
import { TextEvaluationView } from './TextEvaluationView';
import { TryIt } from './TryIt';
import './keep.css';

export interface KeepPanelProps {
  state: StudioState;
  worker: StudioWorker;
  dataset: DatasetChoice | undefined;
  /** The training settings, for a cluster job. */
  settings: TrainingSettings;
  /** The Hub id of the loaded model, when it came from the Hub. */
  hubModel?: string;
  /** The prompt-design template: its baseline is scored on the same rows as each evaluation. */
  baselineTemplate?: string;
  /** The Data step's task type, for a cluster job. */
  taskKind?: TaskKind;
}

export function KeepPanel({ state, worker, dataset, settings, hubModel, baselineTemplate, taskKind }: KeepPanelProps) {
  const [member, setMember] = useState<number | undefined>(undefined);
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** The label mapping an imported prompt file records (label_map), for writing predictions with the data's labels. */
  const [imported, setImported] = useState<LabelMapping>();
  const prompts = state.prompts;
  const ready = !!prompts && !!state.model && state.session !== 'training' && state.session !== 'paused' && state.session !== 'loading';

  const run = async (what: string, f: () => Promise<void>) => {
    setBusy(true);
    setStatus(`${what}…`);
    try {
      await f();
      setStatus(undefined);
    } catch (e) {
      setStatus(`${what} failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  /** `withBaseline`: also score the prompt-design baseline on these rows (the test set: the training rows were seen). */
  const evaluateOn = (name: string, examples: LabeledExample[], withBaseline = false) =>
    run(`Evaluating on ${name}`, async () => {
      const make = (requestId: number) => ({ type: 'evaluate' as const, requestId, examples, ...(withBaseline && baselineTemplate !== undefined ? { baselineTemplate } : {}) });
      // A text-to-text prompt answers with generated text, scored by exact match and F1.
      if (state.prompts?.kind === 'text') await worker.request(make, 'text-evaluation');
      else await worker.request(make, 'evaluation');
    });

  const predictCsv = (file: File) =>
    run(`Labelling ${file.name}`, async () => {
      const { table } = await readCsvFile(file);
      const column = inputColumn(table, dataset?.textColumn);
      const index = table.columns.indexOf(column);
      // The other columns the prompt's template names, found by name as the CLI's predict finds them.
      const named = extraTemplateFields(state.prompts?.template).map((f) => [f, table.columns.indexOf(findColumn(table.columns, f) ?? '')] as const);
      const missing = named.filter(([, i]) => i < 0).map(([f]) => `{${f}}`);
      if (missing.length) throw new Error(`the prompt's template names ${missing.join(', ')}, but ${file.name} has no such column; its columns are ${table.columns.join(', ')}`);
      const fields = named.length ? { fields: table.rows.map((r) => Object.fromEntries(named.map(([f, i]) => [f, r[i] ?? '']))) } : {};
      const make = (requestId: number) => ({ type: 'predict' as const, requestId, texts: table.rows.map((r) => r[index] ?? ''), ...fields });
      let out: string[][];
      // A text-to-text prompt answers with generated text; a classifier with one of its labels.
      if (state.prompts?.kind === 'text') out = textPredictionTable(table.columns, table.rows, (await worker.request(make, 'generated')).results);
      else {
        const reply = await worker.request(make, 'predictions');
        // The data's own labels ("1"), not the texts the prompt writes ("positive"), when a mapping is known.
        out = classPredictionTable(table.columns, table.rows, reply, originalLabels(reply.labels, [state.data, imported, mappingFromTexts(dataset?.labelTexts)]));
      }
      saveBytes(new TextEncoder().encode(`${Papa.unparse(out)}\n`), file.name.replace(/(\.\w+)?$/, '.predictions.csv'), 'text/csv');
    });

  return (
    <section className="panel keep-panel" aria-labelledby="keep-heading">
      <h2 id="keep-heading">5. Keep and use</h2>
      <div className="keep-row">
        <div>
          <h3>Download</h3>
          {prompts && prompts.count > 1 && (
            <label>
              Prompt{' '}
              <select value={member ?? ''} onChange={(e) => setMember(e.target.value === '' ? undefined : Number(e.target.value))}>
                <option value="">best on validation</option>
                {Array.from({ length: prompts.count }, (_, k) => (
                  <option key={k} value={k}>
                    prompt {k + 1}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="keep-buttons">
            <button type="button" disabled={!ready} onClick={() => worker.send({ type: 'export', format: 'prompt', member })} data-testid="download-prompt">
              Prompt file (.prompt.safetensors)
            </button>
            <button type="button" disabled={!ready} onClick={() => worker.send({ type: 'export', format: 'peft', member })} data-testid="download-peft">
              PEFT adapter (.zip)
            </button>
          </div>
          <p className="muted small">The PEFT zip loads in Hugging Face PEFT as a prompt-tuning adapter for the same base model.</p>
        </div>
        <div>
          <h3>Import</h3>
          <label className={`button ${state.model ? '' : 'button--disabled'}`}>
            Open prompt files…
            <input
              type="file"
              className="visually-hidden"
              multiple
              accept=".safetensors,.zip,.json"
              disabled={!state.model}
              data-testid="import-prompt"
              onChange={async (e) => {
                const files = await Promise.all([...(e.target.files ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
                e.target.value = '';
                if (!files.length) return;
                const groups = groupPromptFiles(files);
                setImported(recordedMapping(groups[0]!));
                worker.send({ type: 'import-prompts', files: groups });
              }}
            />
          </label>
          <p className="muted small">A .prompt.safetensors file, a PEFT adapter (zip, or its two files), or several prompts to vote as an ensemble.</p>
          {prompts?.notes.map((n) => (
            <p key={n} className="muted small">
              {n}
            </p>
          ))}
        </div>
      </div>

      <TryIt worker={worker} disabled={!ready} text={state.prompts?.kind === 'text'} {...(state.prompts?.template !== undefined ? { template: state.prompts.template } : {})} />

      <div className="keep-row">
        <div>
          <h3>Evaluate</h3>
          <div className="keep-buttons">
            <button type="button" disabled={!ready || busy || !dataset} onClick={() => dataset && evaluateOn(dataset.fileName, dataset.examples)} data-testid="evaluate-data">
              On the training file
            </button>
            <button type="button" disabled={!ready || busy || !dataset?.testSet} onClick={() => dataset?.testSet && evaluateOn(dataset.testSet.fileName, dataset.testSet.examples, true)}>
              On the test set
            </button>
          </div>
          {state.evaluation && (
            <div data-testid="evaluation">
              <p>
                Accuracy <strong>{(100 * state.evaluation.accuracy).toFixed(1)}%</strong> on {state.evaluation.n} examples
                {state.evaluation.members.length > 1 && (
                  <>
                    {' '}
                    (ensemble of {state.evaluation.members.length}: each prompt {state.evaluation.members.map((m) => `${(100 * m.accuracy).toFixed(1)}%`).join(', ')}; mean{' '}
                    {(100 * state.evaluation.meanAccuracy).toFixed(1)}%, best {(100 * state.evaluation.bestAccuracy).toFixed(1)}%)
                  </>
                )}
              </p>
              <ConfusionMatrix labels={state.evaluation.labels} matrix={state.evaluation.confusion} />
            </div>
          )}
          {state.textEvaluation && <TextEvaluationView evaluation={state.textEvaluation} />}
          {state.promptDesign?.test && (
            <p className="muted" data-testid="prompt-design-test">
              {promptDesignSentence(state.promptDesign.test, 'test rows')}
            </p>
          )}
        </div>
        <div>
          <h3>Label a CSV</h3>
          <label className={`button ${ready && !busy ? '' : 'button--disabled'}`}>
            Choose a CSV to label…
            <input
              type="file"
              className="visually-hidden"
              accept=".csv,.tsv,.txt"
              disabled={!ready || busy}
              data-testid="predict-csv"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void predictCsv(f);
              }}
            />
          </label>
          <p className="muted small">Adds a prediction column (and each prompt&apos;s vote for an ensemble) and downloads the result.</p>
        </div>
      </div>
      <ClusterJob
        dataset={dataset}
        settings={settings}
        {...(taskKind ? { taskKind } : {})}
        loadedModel={hubModel}
        currentPrompt={ready && prompts && state.model ? { width: state.model.dModel, count: prompts.count } : undefined}
        exportPrompt={() => worker.request((requestId) => ({ type: 'export', format: 'prompt', member, requestId }), 'exported').then((e) => ({ name: e.fileName, bytes: e.bytes }))}
      />
      {status && (
        <p role="status" className="keep-status">
          {status}
        </p>
      )}
    </section>
  );
}

/** The label mapping a prompt file records, read here too (the worker reads the prompt itself); none when it cannot be read. */
function recordedMapping(group: Array<{ name: string; bytes: Uint8Array }>): LabelMapping | undefined {
  try {
    const { labels, labelValues } = importPrompt(group).metadata;
    return labels && labelValues ? { labels: labelValues, targetTexts: labels } : undefined;
  } catch {
    return undefined; // the worker reports what is wrong with the file
  }
}
