/** Keyed d3 joins whose items are a <g> holding a fixed set of children. */
import type { BaseType, EnterElement, Selection } from 'd3';

type Children = ReadonlyArray<readonly [tag: string, cls?: string]>;

/** Appends `<g class=cls>` per entering datum with empty children `[tag, class?]`, in paint order. */
function appendGroup<D, P extends BaseType>(
  enter: Selection<EnterElement, D, P, unknown>,
  cls: string,
  children: Children,
): Selection<SVGGElement, D, P, unknown> {
  const g = enter.append<SVGGElement>('g').attr('class', cls);
  for (const [tag, childCls] of children) {
    const child = g.append(tag);
    if (childCls) child.attr('class', childCls);
  }
  return g;
}

/** One `<g class=cls>` per datum under `parent`, keyed, entering ones built by appendGroup. */
export function joinGroups<D, P extends BaseType, PD>(
  parent: Selection<P, PD, BaseType, unknown>,
  cls: string,
  data: readonly D[],
  key: (d: D) => string | number,
  children: Children,
): Selection<SVGGElement, D, P, PD> {
  return parent
    .selectAll<SVGGElement, D>(`g.${cls.split(' ')[0]}`)
    .data(data, key as (d: D) => string)
    .join((enter) => appendGroup(enter, cls, children));
}
