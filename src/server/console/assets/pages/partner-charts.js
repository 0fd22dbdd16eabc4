// A partner's traffic over the last 7, 30 or 90 days (GET /api/v1/console/partners/:id/days):
// messages received, messages that failed, and the mean time from receipt to our functional ack.
import { api } from '../api.js';
import { alertBox, errorText, h, replace, section } from '../dom.js';
import { barChart } from '../charts.js';

const RANGES = [7, 30, 90];

/** 850 ms, 4.2 s, 3.1 min */
export function fmtMs(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function partnerCharts(id, query) {
  const days = RANGES.includes(Number(query?.get('days'))) ? Number(query.get('days')) : 30;
  const box = h('div', { class: 'charts' }, h('p', { class: 'loading' }, 'Counting the days…'));
  api(`/api/v1/console/partners/${encodeURIComponent(id)}/days?days=${days}`).then((r) => {
    const of = (pick) => r.days.map((d) => ({ day: d.day, value: pick(d) }));
    replace(box,
      barChart({ title: 'Messages received per day', points: of((d) => d.received), kind: 'volume' }),
      barChart({ title: 'Messages failed per day', points: of((d) => d.failed), kind: 'failed' }),
      barChart({ title: 'Mean time to our acknowledgement', points: of((d) => d.ackLatencyMs), kind: 'latency', format: fmtMs }));
  }, (e) => replace(box, alertBox('error', errorText(e))));
  const ranges = h('p', { class: 'chart-ranges' }, 'Last ', RANGES.map((n, i) => [i ? ' · ' : '',
    n === days ? h('strong', {}, `${n} days`) : h('a', { href: `#/partners/${encodeURIComponent(id)}?days=${n}` }, `${n} days`)]));
  return section('Traffic', ranges, box);
}
