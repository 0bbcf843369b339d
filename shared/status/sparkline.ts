/** A tiny inline-SVG bar sparkline (no script, no external reference), for counts per day. */

/** Width and height of the sparkline in CSS pixels. */
export const SPARK_WIDTH = 112;
export const SPARK_HEIGHT = 24;

/**
 * An inline `<svg>` with one bar per count (oldest left), scaled to the largest count; an empty
 * day shows a 1-pixel baseline tick. `label` becomes the accessible name (escaped by the caller).
 */
export function sparklineSvg(counts: readonly number[], label: string): string {
  const n = Math.max(counts.length, 1);
  const step = SPARK_WIDTH / n;
  const bar = Math.max(step - 2, 1);
  const max = Math.max(1, ...counts);
  const bars = counts
    .map((count, i) => {
      const h = count > 0 ? Math.max(2, Math.round((count / max) * (SPARK_HEIGHT - 2))) : 1;
      const x = (i * step + 1).toFixed(1);
      const cls = count > 0 ? 'bar' : 'bar empty';
      return `<rect class="${cls}" x="${x}" y="${SPARK_HEIGHT - h}" width="${bar.toFixed(1)}" height="${h}"><title>${count}</title></rect>`;
    })
    .join('');
  return (
    `<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="${SPARK_WIDTH}" height="${SPARK_HEIGHT}" ` +
    `viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" role="img" aria-label="${label}">${bars}</svg>`
  );
}
