export { LossChart, type ChartBaseline, type LossChartProps, type LossSeries } from './LossChart';
export { NeighboursView, type NeighbourSnapshot, type NeighboursViewProps } from './NeighboursView';
export { ConfusionMatrix, type ConfusionMatrixProps } from './ConfusionMatrix';
export { ClassCounts, type ClassCount, type ClassCountsProps } from './ClassCounts';
export { VocabularyMap, type VocabularyMapProps, type MapData, type PromptFrame } from './VocabularyMap';
export { DriftHeatmap, type DriftHeatmapProps, type DriftSnapshot } from './DriftHeatmap';
export { SimilarityMatrix, type SimilarityMatrixProps } from './SimilarityMatrix';
export { ReadingBars, type ReadingBarsProps } from './ReadingBars';
