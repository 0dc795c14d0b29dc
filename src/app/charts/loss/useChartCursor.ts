import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { collectSteps, initialStep, stepAfterKey, stepAtPixel } from './cursorModel';
import type { PointerHandlers } from './drawLossChart';
import type { LossChartModel, PreparedSeries } from './lossChartModel';

interface Cursor {
  step: number;
  /** A keyboard cursor stays when the pointer leaves, and is announced. */
  fromKeyboard: boolean;
}

/**
 * The read-out cursor of the loss chart: set by the pointer over the plot (through `pointer`, which
 * the D3 overlay calls) and by the keyboard on the focusable plot area (`areaProps`).
 */
export function useChartCursor(prepared: PreparedSeries[], model: LossChartModel | null) {
  const [cursor, setCursor] = useState<Cursor | null>(null);

  // Every step with data, sorted: built only when hover or the keyboard needs it, not on every report.
  const stepsCache = useRef<{ of: PreparedSeries[]; steps: Float64Array } | null>(null);
  const getAllSteps = useCallback((): Float64Array => {
    if (stepsCache.current?.of !== prepared) stepsCache.current = { of: prepared, steps: collectSteps(prepared) };
    return stepsCache.current.steps;
  }, [prepared]);

  const pointer = useMemo(
    (): PointerHandlers => ({
      move: (px) => {
        const step = model ? stepAtPixel(model, getAllSteps(), px) : null;
        setCursor(step === null ? null : { step, fromKeyboard: false });
      },
      leave: () => setCursor((c) => (c && !c.fromKeyboard ? null : c)),
    }),
    [model, getAllSteps],
  );

  const areaProps = {
    onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => {
      const move = stepAfterKey(getAllSteps(), cursor && model ? cursor.step : null, e.key);
      if (!move) return;
      if (move.step === null) {
        setCursor(null);
        return;
      }
      e.preventDefault();
      setCursor({ step: move.step, fromKeyboard: true });
    },
    onFocus: () => {
      const step = initialStep(getAllSteps());
      setCursor((c) => c ?? (step === null ? null : { step, fromKeyboard: true }));
    },
    onBlur: () => setCursor(null),
  };

  return {
    // Without a plot (no data left) there is nothing to point at.
    step: cursor && model ? cursor.step : null,
    fromKeyboard: cursor?.fromKeyboard === true,
    pointer,
    areaProps,
  };
}
