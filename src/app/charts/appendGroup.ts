/** Enter-side helper for keyed d3 joins whose items are a <g> holding a fixed set of children. */
import type { BaseType, EnterElement, Selection } from 'd3';

/** Appends `<g class=cls>` per entering datum with empty children `[tag, class?]`, in paint order. */
export function appendGroup<D, P extends BaseType>(
  enter: Selection<EnterElement, D, P, unknown>,
  cls: string,
  children: ReadonlyArray<readonly [tag: string, cls?: string]>,
): Selection<SVGGElement, D, P, unknown> {
  const g = enter.append<SVGGElement>('g').attr('class', cls);
  for (const [tag, childCls] of children) {
    const child = g.append(tag);
    if (childCls) child.attr('class', childCls);
  }
  return g;
}
