export { LossChart, type LossChartProps, type LossSeries } from './LossChart';
export { NeighboursView, type NeighbourSnapshot, type NeighboursViewProps } from './NeighboursView';
export { ConfusionMatrix, type ConfusionMatrixProps } from './ConfusionMatrix';
export { ClassCounts, type ClassCount, type ClassCountsProps } from './ClassCounts';
