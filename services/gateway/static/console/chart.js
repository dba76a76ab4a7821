// Plain SVG charts (ADR 005: no chart library is needed for bars and a line):
// each unit's rate against its target, and the rate over the years.
import { html } from "/console/vendor/htm-preact-standalone.module.js";
import { formatPercent } from "/console/i18n.js";

const BAR = 18, WIDTH = 100;

// One bar per unit with a rate; the unit's own target (0.8, or 0.9 for a model team) as a
// dashed line across its bar.
export function RateBars({ rows, w, caption }) {
  const shown = rows.filter((row) => row.rate != null);
  if (!shown.length) return null;
  const targets = [...new Set(shown.map((row) => row.target))].sort();
  return html`<figure class="chart"><figcaption>${caption || w.chart}</figcaption>
    <div class="chart-rows">${shown.map((row) => html`<div class="chart-row">
      <span class="chart-name">${row.name}</span>
      <svg viewBox="0 0 ${WIDTH} ${BAR}" preserveAspectRatio="none" role="img"
        aria-label="${row.name}: ${formatPercent(row.rate)} (${w.target} ${formatPercent(row.target)})" height=${BAR}>
        <rect x="0" y="2" height=${BAR - 4} width=${row.rate * WIDTH}
          class=${row.meetsTarget ? "bar ok" : "bar miss"} />
        <line x1=${row.target * WIDTH} x2=${row.target * WIDTH} y1="0" y2=${BAR} class="target"
          vector-effect="non-scaling-stroke" />
      </svg><span class="chart-value">${formatPercent(row.rate)}</span></div>`)}
    </div>
    <p class="legend"><span class="legend-line"></span> ${w.target} ${targets.map(formatPercent).join(" / ")}</p>
  </figure>`;
}

// The rate of each year as a bar, the target as a dashed line; years without a rate empty.
export function Trend({ years, w }) {
  if (!years.some((y) => y.rate != null)) return null;
  const height = 60, step = 100 / years.length;
  const target = years.find((y) => y.target != null)?.target ?? 0.8;
  return html`<figure class="chart trend" id="trend"><figcaption>${w.trend}</figcaption>
    <svg viewBox="0 0 100 ${height}" preserveAspectRatio="none" role="img" aria-label=${w.trend}
      class="trend-svg">
      ${years.map((y, i) => y.rate != null && html`<rect x=${i * step + step * 0.15}
        width=${step * 0.7} y=${height * (1 - y.rate)} height=${height * y.rate}
        class=${y.meetsTarget ? "bar ok" : "bar miss"} />`)}
      <line x1="0" x2="100" y1=${height * (1 - target)} y2=${height * (1 - target)}
        class="target" vector-effect="non-scaling-stroke" />
    </svg>
    <ol class="trend-years">${years.map((y) => html`<li data-year=${y.year} data-rate=${y.rate ?? ""}>
      <span>${y.year}</span> <strong>${formatPercent(y.rate)}</strong></li>`)}</ol>
  </figure>`;
}
