/**
 * Sizes for people: one format for every byte count the studio and the CLI show (files, downloads,
 * saved runs, cached models, memory), in decimal units as the Hub and operating systems show them.
 */

/** "812 bytes", "34 kB", "1.2 MB", "310 MB", "3.1 GB": three significant figures at most, one decimal below 10. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  if (Math.abs(bytes) < 1000) {
    const n = Math.round(bytes);
    return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  }
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  // Step up while the rounded value would read 1000 or more (999,600 bytes is "1.0 MB", not "1000 kB").
  while (unit < units.length - 1 && Math.abs(value) >= 999.5) {
    value /= 1000;
    unit++;
  }
  // kB are whole; larger units keep one decimal below 10 ("1.2 MB"), unless it rounds to 10.
  const text = unit > 0 && Math.abs(value) < 9.95 ? value.toFixed(1) : String(Math.round(value));
  return `${text} ${units[unit]}`;
}
