// Small bar charts drawn as SVG by hand (no chart library: three charts of at most 366 bars need
// rects, a baseline and a few labels). Each bar carries a <title> (the browser's tooltip) with its
// day and value; the chart's aria-label says the total and the peak in words. Colours come from
// console.css classes (the Content-Security-Policy allows no inline style).
const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 150;
const PAD = { left: 48, right: 8, top: 12, bottom: 22 };

function el(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

/**
 * barChart({ title, points: [{ day, value }], unit, kind }): `value` null is a day without data
 * (no bar; e.g. no acknowledgement sent, so no latency); `format(v)` writes a value
 */
export function barChart({ title, points, kind = 'volume', format = String, unit = '' }) {
  const values = points.map((p) => p.value).filter((v) => typeof v === 'number');
  const max = Math.max(1, ...values);
  const peak = points.reduce((best, p) => (typeof p.value === 'number' && p.value > (best?.value ?? -1) ? p : best), undefined);
  const total = values.reduce((a, b) => a + b, 0);
  const span = points.length ? `${points[0].day} to ${points[points.length - 1].day}` : 'no days';
  const summary = kind === 'latency'
    ? `${title}, ${span}: ${values.length} day(s) with acknowledgements${peak ? `, slowest ${format(peak.value)}${unit} on ${peak.day}` : ''}`
    : `${title}, ${span}: ${total} in all${peak && peak.value > 0 ? `, most ${format(peak.value)} on ${peak.day}` : ''}`;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, points.length);
  const barW = Math.max(1, step * 0.8);
  const bars = points.map((p, i) => {
    if (typeof p.value !== 'number') return null;
    const hgt = (p.value / max) * innerH;
    return el('rect', { class: `bar bar-${kind}`, x: (PAD.left + i * step + (step - barW) / 2).toFixed(1), y: (PAD.top + innerH - hgt).toFixed(1), width: barW.toFixed(1), height: hgt.toFixed(1), 'data-day': p.day, 'data-value': p.value },
      el('title', {}, `${p.day}: ${format(p.value)}${unit}`));
  }).filter(Boolean);
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': summary },
    el('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: PAD.top + innerH, y2: PAD.top + innerH }),
    el('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: PAD.top, y2: PAD.top }),
    el('text', { class: 'chart-label', x: PAD.left - 4, y: PAD.top + 4, 'text-anchor': 'end' }, `${format(max)}${unit}`),
    el('text', { class: 'chart-label', x: PAD.left - 4, y: PAD.top + innerH, 'text-anchor': 'end' }, '0'),
    points.length ? el('text', { class: 'chart-label', x: PAD.left, y: H - 6 }, points[0].day) : null,
    points.length > 1 ? el('text', { class: 'chart-label', x: W - PAD.right, y: H - 6, 'text-anchor': 'end' }, points[points.length - 1].day) : null,
    ...bars);
  const fig = document.createElement('figure');
  fig.className = 'chart-figure';
  const caption = document.createElement('figcaption');
  caption.textContent = summary;
  fig.append(svg, caption);
  return fig;
}
