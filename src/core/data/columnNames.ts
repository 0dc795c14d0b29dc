/**
 * What column names and values look like, shared by the column detection and the header
 * detection (which asks whether a first row holds names or values). No imports, so both can use it.
 */

/** Names that mean "label", most specific first. */
export const LABEL_NAMES = [
  'label', 'labels', 'class', 'category', 'target', 'sentiment', 'y', 'gold_label', 'class_label', 'intent',
  'emotion', 'polarity', 'topic', 'tag', 'classes', 'categories', 'stance', 'rating', 'stars',
];

/** Names that mean "the text", most specific first (not "title": next to "Review Text" it is the short one). */
/** Target columns of text-to-text data (free text, so never categorical): the label when no column is. */
export const ANSWER_NAMES = ['answer', 'answers', 'output', 'target_text', 'response', 'completion', 'summary', 'translation'];

export const TEXT_NAMES = [
  'text', 'sentence', 'review', 'content', 'input', 'document', 'question', 'body', 'message', 'comment',
  'tweet', 'utterance', 'passage', 'description', 'query', 'prompt', 'post', 'article', 'abstract',
];

/** At most this many distinct values for a column to count as categorical. */
export const MAX_CATEGORICAL_VALUES = 50;

const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?%?$/;

/** "3", "-1", "2.5", "1e3", "40%": what a spreadsheet would read as a number (trimmed input). */
export const isNumberLike = (value: string): boolean => NUMBER.test(value);
