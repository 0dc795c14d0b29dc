/**
 * The studio's Data step: drop (or choose, or the demo) a labelled CSV, check the detected columns
 * and what is wrong with the rows, pick the validation split, optionally add an out-of-domain test
 * set. Reports the usable dataset through onChange, or undefined while something blocks training.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { detectColumns } from '../../core/data/columnDetection';
import type { CsvTable } from '../../core/data/csvTable';
import { buildExamples } from '../../core/data/dataset';
import { DEMO_DATA_PATH } from '../../core/model/presets';
import { ClassCounts } from '../charts/ClassCounts';
import { ColumnPicker } from './ColumnPicker';
import { formatBytes } from './csvProtocol';
import { DataProblems } from './DataProblems';
import { makeChoice, makeTestSet, summaryLine, tableSummaryLine, type DatasetChoice } from './datasetChoice';
import { DropZone } from './DropZone';
import { PreviewTable } from './PreviewTable';
import { failureProblem, tableProblems } from './problems';
import { SplitControl } from './SplitControl';
import { TestSetInput } from './TestSetInput';
import { useCsvFile } from './useCsvFile';
import './data.css';

export type { DatasetChoice } from './datasetChoice';

export interface DataPanelProps {
  value: DatasetChoice | undefined;
  onChange(d: DatasetChoice | undefined): void;
  /** 0 to 0.5. */
  validationFraction: number;
  onValidationFractionChange(f: number): void;
  disabled?: boolean;
}


function baseUrl(): string {
  return (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
}

export function DataPanel({ value, onChange, validationFraction, onValidationFractionChange, disabled = false }: DataPanelProps) {
  const main = useCsvFile();
  const test = useCsvFile();
  const [picked, setPicked] = useState<{ table: CsvTable; text: string; label: string }>();

  const loaded = main.state.status === 'loaded' ? main.state : undefined;
  const table = loaded?.table;
  const detected = useMemo(() => (table ? detectColumns(table) : undefined), [table]);
  // The user's column choice belongs to one table; a new file starts from the detected columns.
  const textColumn = (picked && picked.table === table ? picked.text : detected?.text) ?? '';
  const labelColumn = (picked && picked.table === table ? picked.label : detected?.label) ?? '';

  const built = useMemo(
    () => (table && textColumn && labelColumn ? buildExamples(table, textColumn, labelColumn) : undefined),
    [table, textColumn, labelColumn],
  );
  const base = useMemo(
    () => (loaded ? makeChoice(loaded.fileName, loaded.table, loaded.encoding, textColumn, labelColumn, built) : undefined),
    [loaded, textColumn, labelColumn, built],
  );
  const trainLabels = useMemo(() => (built ? new Set(built.classCounts.keys()) : undefined), [built]);
  const testResult = useMemo(() => makeTestSet(test.state, textColumn, labelColumn, trainLabels), [test.state, textColumn, labelColumn, trainLabels]);
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
    emitted.current = undefined;
    onChange(undefined);
  };

  const problems = useMemo(() => {
    if (main.state.status === 'failed') return [failureProblem(main.state.fileName, main.state.failure)];
    if (!loaded) return [];
    return tableProblems({ table: loaded.table, encoding: loaded.encoding, textColumn, labelColumn, built });
  }, [main.state, loaded, textColumn, labelColumn, built]);

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
              ? summaryLine(built.examples.length, built.classCounts.size, loaded.encoding, loaded.table.delimiter)
              : tableSummaryLine(loaded.table, loaded.encoding)}
          </p>
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
          <DataProblems problems={problems} />
          <PreviewTable table={loaded.table} textColumn={textColumn} labelColumn={labelColumn} />
          {built && (
            <div className="data-panel__grid">
              <div className="data-card">
                <h3 className="data-card__title">Examples per class</h3>
                {classCounts.length > 0 ? (
                  <div className="data-card__chart">
                    <ClassCounts counts={classCounts} />
                  </div>
                ) : (
                  <p className="data-muted">No labelled rows.</p>
                )}
              </div>
              <div className="data-card">
                {base ? (
                  <SplitControl examples={base.examples} validationFraction={validationFraction} onChange={onValidationFractionChange} disabled={disabled} />
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
        </>
      )}

      {restored && <RestoredData value={restored} validationFraction={validationFraction} onValidationFractionChange={onValidationFractionChange} disabled={disabled} />}
    </section>
  );
}

/** The dataset the studio already holds, when this panel was reopened without its file. */
function RestoredData({
  value,
  validationFraction,
  onValidationFractionChange,
  disabled,
}: {
  value: DatasetChoice;
  validationFraction: number;
  onValidationFractionChange(f: number): void;
  disabled: boolean;
}) {
  return (
    <>
      <div className="data-panel__file">
        <span className="data-file">{value.fileName}</span>
        <span className="data-muted">
          {' '}
          · text ‘{value.textColumn}’, label ‘{value.labelColumn}’ · drop the file again to change the columns or see the rows
        </span>
      </div>
      <p className="data-summary" data-testid="data-summary">
        {summaryLine(value.examples.length, value.classCounts.length, value.encoding)}
      </p>
      <div className="data-panel__grid">
        <div className="data-card">
          <h3 className="data-card__title">Examples per class</h3>
          <div className="data-card__chart">
            <ClassCounts counts={value.classCounts} />
          </div>
        </div>
        <div className="data-card">
          <SplitControl examples={value.examples} validationFraction={validationFraction} onChange={onValidationFractionChange} disabled={disabled} />
          {value.testSet && (
            <p className="data-testset__status" data-testid="test-set-status">
              Out-of-domain test set: <span className="data-file">{value.testSet.fileName}</span>, {value.testSet.examples.length.toLocaleString('en-US')} examples
            </p>
          )}
        </div>
      </div>
    </>
  );
}
