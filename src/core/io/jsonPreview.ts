/**
 * Values and names from a user's file, made safe to put in an error message: short, and never
 * throwing. JSON.stringify alone is not safe: a value nested a few thousand levels deep (which
 * JSON.parse accepts) makes it throw RangeError, and a huge one would flood the message.
 */

/** A short JSON rendering of `value` ("a deeply nested list" when it cannot be written). */
export function jsonPreview(value: unknown, maxLength = 80): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return Array.isArray(value) ? 'a deeply nested list' : 'a deeply nested value';
  }
  if (text === undefined) return 'nothing';
  return clip(text, maxLength);
}

/** A name or other text from a user's file, cut to `maxLength` characters for a message. */
export function clip(text: string, maxLength = 80): string {
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
