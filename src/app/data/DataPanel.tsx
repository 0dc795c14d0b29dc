/**
 * The studio's Data step: drop (or choose, or the demo) a labelled CSV, TSV or JSON Lines file,
 * check whether its first row is a header, the detected columns, the input template (files with
 * more columns), what is wrong with the rows and what the model will learn to write for each
 * label, see the sanity checks (leakage, imbalance, small classes), pick the validation split,
 * optionally add an out-of-domain test set. Reports the usable dataset through onChange, or
 * undefined while something blocks training.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { detectColumns } from '../../core/data/columnDetection';
import type { CsvTable } from '../../core/data/csvTable';
import { checkDataset } from '../../core/data/datasetChecks';
import { buildExamples, findColumn, type BuiltExamples } from '../../core/data/dataset';
import { DEFAULT_SETTINGS } from '../../core/settings/trainingSettings';
import { extraTemplateFields } from '../../core/task/template';
import { checkLabelTexts, resolveLabelTexts } from '../../core/data/labelTexts';
import { DEMO_DATA_PATH } from '../../core/model/presets';
import { ClassCounts } from '../charts/ClassCounts';
import { checkProblems, labelTextProblems } from './checkProblems';
import { ColumnPicker } from './ColumnPicker';
import { formatBytes } from '../../core/format/bytes';
import { DataProblems } from './DataProblems';
import { makeChoice, makeTestSet, summaryLine, tableSummaryLine, type DatasetChoice } from './datasetChoice';
import { DropZone } from './DropZone';
import { HeaderChoice } from './HeaderChoice';
import { InputTemplate } from './InputTemplate';
import { LabelTexts } from './LabelTexts';
import { MajorityBaseline } from './MajorityBaseline';
import { PreviewTable } from './PreviewTable';
import { failureProblem, tableProblems } from './problems';
import { RestoredData } from './RestoredData';
import { SplitControl } from './SplitControl';
import { TestSetInput } from './TestSetInput';
import { useCsvFile } from './useCsvFile';
import './data.css';
import './labels.css';

export type { DatasetChoice } from './datasetChoice';

export interface DataPanelProps {
  value: DatasetChoice | undefined;
  onChange(d: DatasetChoice | undefined): void;
  /** 0 to 0.5. */
  validationFraction: number;
  onValidationFractionChange(f: number): void;
  disabled?: boolean;
  /** Columns a shared link names: used instead of the detected ones when the file has them. */
  preferredColumns?: { text?: string; label?: string };
  /** Shown under the data once it is usable (the task type and baseline template). */
  children?: ReactNode;
  /** A text-to-text task: the targets are answers, not classes, so class counts, label texts and class checks are hidden. */
  textTask?: boolean;
  /** The input template (a training setting); shown for files with more than a text and a label column. */
  template?: string;
  onTemplateChange?(template: string): void;
  /** Other columns to carry on each row (those the prompt-design template names). */
  extraFields?: readonly string[];
}

function baseUrl(): string {
  return (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
}

export function DataPanel({ value, onChange, validationFraction, onValidationFractionChange, disabled = false, preferredColumns, children, textTask = false, template = DEFAULT_SETTINGS.template, onTemplateChange, extraFields }: DataPanelProps) {
  const main = useCsvFile();
  const test = useCsvFile();
  const [picked, setPicked] = useState<{ table: CsvTable; text: string; label: string }>();
  // The label texts typed or suggested belong to one set of examples (one table and column choice).
  const [edits, setEdits] = useState<{ built: BuiltExamples; texts: Record<string, string> }>();

  const loaded = main.state.status === 'loaded' ? main.state : undefined;
  const table = loaded?.table;
  const detected = useMemo(() => {
    if (!table) return undefined;
    // Pin what the link names (when the file has it) and guess the rest.
    const has = (name?: string) => (name !== undefined && table.columns.includes(name) ? name : undefined);
    const fixed = { text: has(preferredColumns?.text), label: has(preferredColumns?.label) };
    return detectColumns(table, Object.fromEntries(Object.entries(fixed).filter(([, v]) => v !== undefined))) ?? detectColumns(table);
  }, [table, preferredColumns?.text, preferredColumns?.label]);
  // The user's column choice belongs to one table; a new file starts from the link's or the detected columns.
  const textColumn = (picked && picked.table === table ? picked.text : detected?.text) ?? '';
  const labelColumn = (picked && picked.table === table ? picked.label : detected?.label) ?? '';

  // The columns the templates name that the file has (a name it lacks is the template's problem, shown there).
  const fieldsKey = useMemo(() => {
    const named = [...new Set([...extraTemplateFields(template), ...(extraFields ?? [])])];
    return (table ? named.filter((f) => findColumn(table.columns, f) !== undefined) : []).join('\u0000');
  }, [template, extraFields, table]);
  // Keyed on the names, so typing a template rebuilds the rows only when its columns change.
  const fields = useMemo(() => (fieldsKey ? fieldsKey.split('\u0000') : []), [fieldsKey]);
  const built = useMemo(
    () => (table && textColumn && labelColumn ? buildExamples(table, textColumn, labelColumn, fields) : undefined),
    [table, textColumn, labelColumn, fields],
  );
  const labelEdits = useMemo(() => (built && edits?.built === built ? edits.texts : {}), [built, edits]);
  const labelTexts = useMemo(() => resolveLabelTexts(built ? [...built.classCounts.keys()] : [], labelEdits), [built, labelEdits]);
  const base = useMemo(
    () => (loaded ? makeChoice(loaded.fileName, loaded.table, loaded.encoding, textColumn, labelColumn, built, labelTexts) : undefined),
    [loaded, textColumn, labelColumn, built, labelTexts],
  );
  const trainLabels = useMemo(() => (built ? new Set(built.classCounts.keys()) : undefined), [built]);
  const testResult = useMemo(() => makeTestSet(test.state, textColumn, labelColumn, trainLabels, fields), [test.state, textColumn, labelColumn, trainLabels, fields]);
  const choice = useMemo(
    () => (base && testResult.testSet ? { ...base, testSet: testResult.testSet } : base),
    [base, testResult.testSet],
  );

  // Report changes the user caused; a remount with a value from the parent reports nothing.
  const touched = useRef(false);
  const emitted = useRef(value);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  useEffect(() => {
    if (!touched.current || choice === emitted.current) return;
    emitted.current = choice;
    onChangeRef.current(choice);
  }, [choice]);

  const usable = built && built.problems.fatal.length === 0 && built.examples.length > 0 ? built : undefined;
  const checks = useMemo(
    () => (usable ? checkDataset(usable.examples, { validationFraction, ...(testResult.testSet ? { test: testResult.testSet.examples } : {}) }) : undefined),
    [usable, validationFraction, testResult.testSet],
  );

  const { load: loadMain, loadUrl: loadMainUrl } = main;
  const loadFile = useCallback(
    (file: File) => {
      touched.current = true;
      loadMain(file);
    },
    [loadMain],
  );
  const loadDemo = useCallback(() => {
    touched.current = true;
    loadMainUrl(`${baseUrl()}${DEMO_DATA_PATH}`, DEMO_DATA_PATH.split('/').pop()!);
  }, [loadMainUrl]);
  const clear = () => {
    touched.current = true;
    main.clear();
    test.clear();
    setPicked(undefined);
    setEdits(undefined);
    emitted.current = undefined;
    onChange(undefined);
  };

  const problems = useMemo(() => {
    if (main.state.status === 'failed') return [failureProblem(main.state.fileName, main.state.failure)];
    if (!loaded) return [];
    const found = tableProblems({ table: loaded.table, encoding: loaded.encoding, textColumn, labelColumn, built });
    const blockingFirst = [...(textTask ? [] : labelTextProblems(checkLabelTexts(labelTexts))), ...found];
    return checks ? [...blockingFirst, ...checkProblems(checks, validationFraction, { classes: !textTask })] : blockingFirst;
  }, [main.state, loaded, textColumn, labelColumn, built, labelTexts, checks, validationFraction, textTask]);

  // Reopened with data the parent kept (this panel's table is gone): show what is in use.
  const restored = main.state.status === 'empty' ? value : undefined;
  const hasData = main.state.status !== 'empty' || restored !== undefined;
  const classCounts = useMemo(() => (built ? Array.from(built.classCounts, ([label, count]) => ({ label, count })) : []), [built]);

  return (
    <section className="data-panel panel" aria-labelledby="data-panel-title">
      <header className="data-panel__header">
        <h2 id="data-panel-title" className="data-panel__title">
          1. Data
        </h2>
        {hasData && (
          <button type="button" className="data-button" data-testid="data-clear" disabled={disabled} onClick={clear}>
            Clear data
          </button>
        )}
      </header>

      <DropZone onFile={loadFile} onDemo={loadDemo} disabled={disabled || main.state.status === 'loading'} compact={hasData} />

      {main.state.status === 'loading' && (
        <p className="data-progress" role="status" data-testid="data-progress">
          <span className="data-progress__spinner" aria-hidden="true" />
          <span>
            <span className="data-file">{main.state.fileName}</span>: {main.state.progress}
          </span>
        </p>
      )}

      {main.state.status === 'failed' && <DataProblems problems={problems} />}

      {loaded && (
        <>
          <div className="data-panel__file">
            <span className="data-file">{loaded.fileName}</span>
            <span className="data-muted"> · {formatBytes(loaded.size)}</span>
          </div>
          <p className="data-summary" data-testid="data-summary">
            {built
              ? summaryLine(built.examples.length, built.classCounts.size, loaded.encoding, loaded.table.delimiter, textTask)
              : tableSummaryLine(loaded.table, loaded.encoding)}
          </p>
          {loaded.format === 'csv' && loaded.table.header && (
            <HeaderChoice
              decision={loaded.table.header}
              columns={loaded.table.columns}
              disabled={disabled}
              onChange={(mode) => {
                touched.current = true;
                main.setHeader(mode);
              }}
            />
          )}
          {loaded.table.columns.length >= 2 && (
            <ColumnPicker
              columns={loaded.table.columns}
              textColumn={textColumn}
              labelColumn={labelColumn}
              disabled={disabled}
              onChange={(text, label) => {
                touched.current = true;
                setPicked({ table: loaded.table, text, label });
              }}
            />
          )}
          {onTemplateChange && (loaded.table.columns.length > 2 || template !== DEFAULT_SETTINGS.template) && (
            <InputTemplate template={template} onChange={onTemplateChange} columns={loaded.table.columns} textColumn={textColumn} labelColumn={labelColumn} example={usable?.examples[0]} disabled={disabled} />
          )}
          <DataProblems problems={problems} />
          <PreviewTable table={loaded.table} textColumn={textColumn} labelColumn={labelColumn} firstRow={loaded.format === 'json' ? 'line' : loaded.table.header?.hasHeader === false ? 'data' : 'header'} />
          {built && (
            <div className="data-panel__grid">
              {!textTask && (
                <div className="data-card">
                  <h3 className="data-card__title">Examples per class</h3>
                  {classCounts.length > 0 ? (
                    <div className="data-card__chart">
                      <ClassCounts counts={classCounts} />
                    </div>
                  ) : (
                    <p className="data-muted">No labelled rows.</p>
                  )}
                  {checks && <MajorityBaseline label={checks.majority.label} accuracy={checks.majority.accuracy} />}
                </div>
              )}
              <div className="data-card">
                {base ? (
                  <SplitControl examples={base.examples} validationFraction={validationFraction} onChange={onValidationFractionChange} disabled={disabled} textTask={textTask} />
                ) : (
                  <p className="data-muted">The validation split appears once the data can be used.</p>
                )}
                <TestSetInput
                  status={testResult.status}
                  onFile={(file) => {
                    touched.current = true;
                    test.load(file);
                  }}
                  onClear={() => {
                    touched.current = true;
                    test.clear();
                  }}
                  disabled={disabled}
                />
              </div>
            </div>
          )}
          {usable && !textTask && (
            <div className="data-card">
              <LabelTexts
                classCounts={classCounts}
                edits={labelEdits}
                texts={labelTexts}
                disabled={disabled}
                onChange={(texts) => {
                  touched.current = true;
                  setEdits({ built: usable, texts });
                }}
              />
            </div>
          )}
        </>
      )}

      {value && children}
      {restored && <RestoredData value={restored} textTask={textTask} validationFraction={validationFraction} onValidationFractionChange={onValidationFractionChange} disabled={disabled} />}
    </section>
  );
}
