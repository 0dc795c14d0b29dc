/**
 * The studio: data → model → train → watch → keep, one page. App owns the cross-step state (the
 * dataset, the settings, which run is active); the training worker owns the model and the GPU.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StudioLink } from '../core/settings/studioLink';
import { withDefaults, type TrainingSettings } from '../core/settings/trainingSettings';
import type { RunRecord } from '../core/storage/runRecord';
import type { ModelSpec } from '../core/worker/protocol';
import { BackendBadge } from './BackendBadge';
import { DataPanel, type DatasetChoice } from './data/DataPanel';
import { KeepPanel } from './keep/KeepPanel';
import { ModelPanel } from './model/ModelPanel';
import { modelSpecFor } from './model/modelSpecFor';
import { runSeries } from './runs/runCurve';
import { RunsPanel } from './runs/RunsPanel';
import { readLink, useStudioLink } from './studio/useStudioLink';
import { useStudioWorker } from './studio/useStudioWorker';
import { toTrainerConfig } from './train/trainSettings';
import { TrainPanel } from './train/TrainPanel';
import { useTheme } from './useTheme';
import type { TaskKind } from '../core/task/taskKind';
import { extraTemplateFields, templateProblem } from '../core/task/template';
import { TaskChoice } from './data/TaskChoice';
import { DEFAULT_BASELINE_TEMPLATE, taskChoice } from './data/taskChoice';
import { majorityBaselineLine } from './watch/accuracyBaselines';
import { promptDesignLine } from './watch/promptDesignLine';
import { WatchPanel } from './watch/WatchPanel';

/** Nearest-neighbour snapshots for the Watch view every this many steps. */
const NEIGHBOURS_EVERY = 5;

export function App() {
  const worker = useStudioWorker();
  const { state, send, dispatch } = worker;
  const [theme, setTheme] = useTheme();
  const [dataset, setDataset] = useState<DatasetChoice>();
  /** The link the page was opened with (model, columns, settings); the hash follows the set-up from then on. */
  const [opened] = useState(readLink);
  const [link, setLink] = useState<StudioLink>(opened.link);
  const [linkProblems, setLinkProblems] = useState<string[]>(opened.problems);
  const [settings, setSettings] = useState<TrainingSettings>(() => withDefaults(opened.link.settings));
  /** The model to name in the link: one loaded by name (a local folder cannot be shared). */
  const [linkedModel, setLinkedModel] = useState<string | undefined>(opened.link.model);
  const [activeRunId, setActiveRunId] = useState<string>();
  /** A saved run waiting for its model to load: to resume training, or to use its prompts. */
  const [pending, setPending] = useState<{ run: RunRecord; action: 'resume' | 'use' }>();
  const [notice, setNotice] = useState<string>();
  const [kindOverride, setKindOverride] = useState<TaskKind>();
  const [baselineTemplate, setBaselineTemplate] = useState(DEFAULT_BASELINE_TEMPLATE);
  const task = useMemo(() => taskChoice(dataset?.examples ?? [], kindOverride), [dataset, kindOverride]);
  /** What a trained prompt has to beat, drawn on the accuracy chart. */
  const baselines = useMemo(() => [...(task.kind === 'text' ? [] : majorityBaselineLine(dataset)), ...promptDesignLine(state.promptDesign?.validation)], [dataset, task.kind, state.promptDesign]);

  useEffect(() => send({ type: 'init' }), [send]);

  const loadModel = (model: ModelSpec) => {
    setLinkedModel(model.kind === 'url' ? model.id : undefined);
    send({ type: 'load-model', model });
  };
  // The demo model is served by the app itself, so a link naming it loads it; other models wait for a click.
  useEffect(() => {
    if (link.model === 'demo') send({ type: 'load-model', model: modelSpecFor('demo') });
  }, [link, send]);
  const onLinkChanged = useCallback((next: StudioLink, problems: string[]) => {
    setLink(next);
    setLinkProblems(problems);
    setLinkedModel(next.model);
    setSettings(withDefaults(next.settings));
  }, []);
  useStudioLink({ model: linkedModel, textColumn: dataset?.textColumn ?? link.textColumn, labelColumn: dataset?.labelColumn ?? link.labelColumn, settings }, onLinkChanged);

  const training = state.session === 'training' || state.session === 'paused' || state.session === 'interrupted';
  /** The input template against the data's columns: a name the file lacks stops training, with the columns listed in the Data step. */
  const templateIssue = dataset ? templateProblem(settings.template, dataset.columns, dataset.labelColumn) : undefined;
  const blocker = !dataset
    ? 'Add a labelled CSV first.'
    : templateIssue
      ? 'Fix the input template in the Data step first.'
      : !state.model
        ? 'Load a model first.'
        : !state.model.hasTokenizer
          ? 'The model has no tokenizer.'
          : undefined;
  const baselineFields = useMemo(() => extraTemplateFields(baselineTemplate), [baselineTemplate]);

  const start = () => {
    if (!dataset) return;
    const runId = crypto.randomUUID();
    setActiveRunId(runId);
    dispatch({ type: 'reset-run' });
    send({ type: 'start', runId, examples: dataset.examples, validationFraction: settings.validationFraction, config: toTrainerConfig(settings), neighboursEvery: NEIGHBOURS_EVERY, task: { maxInputTokens: settings.maxInputTokens, template: settings.template, ...(task.kind === 'text' ? { kind: 'text' as const } : { rename: dataset.labelTexts }) }, baselineTemplate });
  };

  /** Bring back a saved run: its curve now, then (once its model is loaded) its checkpoint. */
  const reopen = (run: RunRecord, action: 'resume' | 'use') => {
    const model = run.resume?.model;
    if (!run.resume || !model) return;
    dispatch({ type: 'reset-run' });
    dispatch({ type: 'restore-curve', series: runSeries(run) });
    setPending({ run, action });
    if (state.model?.id === model.id) return;
    if (model.kind === 'files') {
      setNotice(`This run used the local model folder "${model.id}". Open that folder again (step 2) and the run continues.`);
      return;
    }
    loadModel(model);
  };

  useEffect(() => {
    if (!pending) return;
    const { run } = pending;
    if (!run.resume || state.session === 'loading' || state.model?.id !== run.resume.model.id) return;
    setPending(undefined);
    setNotice(undefined);
    if (pending.action === 'use') {
      send({ type: 'open-run', runId: run.id });
      return;
    }
    setActiveRunId(run.id);
    send({
      type: 'start',
      runId: run.id,
      resume: true,
      examples: run.resume.examples,
      validation: run.resume.validation,
      validationFraction: run.resume.validationFraction,
      config: run.config,
      neighboursEvery: run.resume.neighboursEvery,
      task: { labels: run.task.labels, targetTexts: run.task.targetTexts, template: run.task.template, maxInputTokens: run.task.maxInputTokens, ...(run.task.kind ? { kind: run.task.kind } : {}) },
    });
  }, [pending, state.session, state.model, send]);

  return (
    <div className="app">
      <header className="app__header">
        <h1>Prompt Tuning Studio</h1>
        <div className="app__header-right">
          <BackendBadge backend={state.backend} failure={state.errors.find((e) => e.during === 'init')?.message} />
          <label className="theme-picker">
            <span className="visually-hidden">Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)} aria-label="Colour theme">
              <option value="system">System theme</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </div>
      </header>
      <main className="app__main">
        <p className="lede">
          Train soft prompts for a frozen T5 on your own GPU. Your data never leaves this machine: the CSV is read here, and only model files are downloaded.
        </p>
        {state.errors
          .map((e, index) => ({ ...e, index }))
          .filter((e) => e.during !== 'init' && e.during !== 'evaluate' && e.during !== 'predict')
          .map((e) => (
            <div key={e.index} className="alert" role="alert">
              <span>{e.message}</span>
              <button type="button" className="link" onClick={() => dispatch({ type: 'dismiss-error', index: e.index })} aria-label="Dismiss">
                ✕
              </button>
            </div>
          ))}
        {state.gpuLost && (
          <div className="alert" role="alert" data-testid="gpu-lost">
            <span>
              {state.gpuLost.message} Nothing is lost: the run continues from its last checkpoint.
            </span>
            <span className="alert__actions">
              <button type="button" className="primary" disabled={state.session === 'loading'} onClick={() => send({ type: 'recover', backends: ['webgpu'] })} data-testid="recover-gpu">
                Resume on the GPU
              </button>
              <button type="button" disabled={state.session === 'loading'} onClick={() => send({ type: 'recover', backends: ['wasm', 'cpu'] })} data-testid="recover-cpu">
                Resume on the CPU (slow)
              </button>
            </span>
          </div>
        )}
        {state.warnings.map((w) => (
          <p key={w} className="warning" role="status">
            {w}
          </p>
        ))}
        {linkProblems.length > 0 && (
          <div className="warning" role="status" data-testid="link-problems">
            <span>The link's set-up was partly used: {linkProblems.join('; ')}.</span>{' '}
            <button type="button" className="link" onClick={() => setLinkProblems([])} aria-label="Dismiss">
              ✕
            </button>
          </div>
        )}
        {notice && (
          <p className="warning" role="status">
            {notice}
          </p>
        )}
        <DataPanel value={dataset} onChange={setDataset} validationFraction={settings.validationFraction} onValidationFractionChange={(validationFraction) => setSettings((s) => ({ ...s, validationFraction }))} preferredColumns={{ text: link.textColumn, label: link.labelColumn }} disabled={training} textTask={task.kind === 'text'} template={settings.template} onTemplateChange={(template) => setSettings((s) => ({ ...s, template }))} extraFields={baselineFields}>
          <TaskChoice choice={task} onKind={setKindOverride} template={baselineTemplate} onTemplate={setBaselineTemplate} disabled={training} />
        </DataPanel>
        <ModelPanel state={state} onLoad={loadModel} onCancel={() => send({ type: 'cancel-load' })} disabled={training} suggested={link.model} settings={settings} />
        <TrainPanel
          state={state}
          settings={settings}
          onSettings={setSettings}
          canStart={!blocker && !training && state.session !== 'loading'}
          blocker={blocker}
          onStart={start}
          onPause={() => send({ type: 'pause' })}
          onResume={() => send({ type: 'resume' })}
          onStop={() => send({ type: 'stop' })}
        />
        <WatchPanel state={state} worker={worker} baselines={baselines} />
        <KeepPanel state={state} worker={worker} dataset={dataset} settings={settings} baselineTemplate={baselineTemplate} taskKind={task.kind} hubModel={state.model && state.model.id === linkedModel ? linkedModel : undefined} />
        <RunsPanel
          refreshKey={`${state.session}:${state.checkpointStep ?? ''}:${activeRunId ?? ''}`}
          activeRunId={training ? activeRunId : undefined}
          busy={training || state.session === 'loading'}
          onShow={(run) => dispatch({ type: 'restore-curve', series: runSeries(run) })}
          onResume={(run) => reopen(run, 'resume')}
          onUse={(run) => reopen(run, 'use')}
        />
      </main>
    </div>
  );
}
