import { ClassCounts } from '../charts/ClassCounts';
import { summaryLine, type DatasetChoice } from './datasetChoice';
import { MajorityBaseline } from './MajorityBaseline';
import { SplitControl } from './SplitControl';

export interface RestoredDataProps {
  value: DatasetChoice;
  validationFraction: number;
  onValidationFractionChange(f: number): void;
  disabled: boolean;
  /** A text-to-text task: answers, not classes (no class counts, a plain split). */
  textTask?: boolean;
}

/** The dataset the studio already holds, when the Data panel was reopened without its file. */
export function RestoredData({ value, validationFraction, onValidationFractionChange, disabled, textTask = false }: RestoredDataProps) {
  const renamed = Object.entries(value.labelTexts).filter(([label, text]) => label !== text);
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
        {summaryLine(value.examples.length, value.classCounts.length, value.encoding, undefined, textTask)}
      </p>
      {renamed.length > 0 && (
        <p className="data-muted" data-testid="restored-label-texts">
          Trained to write: {renamed.map(([label, text]) => `${label} → ${text}`).join(', ')}
        </p>
      )}
      <div className="data-panel__grid">
        {!textTask && (
          <div className="data-card">
            <h3 className="data-card__title">Examples per class</h3>
            <div className="data-card__chart">
              <ClassCounts counts={value.classCounts} />
            </div>
            <MajorityBaseline label={value.majorityBaseline.label} accuracy={value.majorityBaseline.accuracy} />
          </div>
        )}
        <div className="data-card">
          <SplitControl examples={value.examples} textTask={textTask} validationFraction={validationFraction} onChange={onValidationFractionChange} disabled={disabled} />
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
