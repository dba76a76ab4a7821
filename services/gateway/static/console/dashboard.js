// The dashboard: the success rate of each child unit of the user's unit for a year and
// layout, against its target, as a chart with the target line and a sortable table.
// Three requests at most: the children and the unit's own total, then the children's rates.
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";
import { formatNumber, formatPercent } from "/console/i18n.js";

const FIGURES = "received successful unsuccessful inProgress rate target meetsTarget";
const FIRST_YEAR = 2018; // Plan 73's first year
const CHILDREN = `query($code: String!, $year: Int!, $geo: GeoVersion!) {
  unit(code: $code, geoVersion: $geo) { code name children { code name } }
  successRate(unitCode: $code, year: $year, geoVersion: $geo) { ${FIGURES} } }`;

// One aliased successRate per child: the units are few (65 communes in V2025).
function ratesQuery(count) {
  const args = Array.from({ length: count }, (_, i) => `$c${i}: String!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) =>
    `u${i}: successRate(unitCode: $c${i}, year: $year, geoVersion: $geo) { ${FIGURES} }`);
  return `query($year: Int!, $geo: GeoVersion!, ${args}) { ${fields.join("\n")} }`;
}

export async function loadRates(code, year, geo) {
  const first = await gql(CHILDREN, { code, year, geo });
  if (!first.unit) return { year, geo, unit: null, total: null, rows: [] };
  const children = first.unit.children;
  let rows = [];
  if (children.length) {
    const variables = { year, geo };
    children.forEach((child, i) => { variables[`c${i}`] = child.code; });
    const rates = await gql(ratesQuery(children.length), variables);
    rows = children.map((child, i) => ({ ...child, ...rates[`u${i}`] }));
  }
  return { year, geo, unit: first.unit, total: first.successRate, rows };
}

const COLUMNS = ["name", "received", "successful", "unsuccessful", "inProgress", "rate", "target"];

function sorted(rows, key, ascending) {
  const value = (row) => (row[key] == null ? -1 : row[key]);
  const compare = key === "name" ? (a, b) => a.name.localeCompare(b.name, "vi")
    : (a, b) => value(a) - value(b);
  const list = [...rows].sort(compare);
  return ascending ? list : list.reverse();
}

export function Dashboard({ user, w, onError }) {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  // V2025 is the current layout; a unit of the old one (a district, a LEGACY commune) is
  // only found in LEGACY.
  const [geo, setGeo] = useState(user.scope?.level === "PROVINCE" ? "V2025" : user.scopeVersion || "V2025");
  const [data, setData] = useState(null);
  const [sort, setSort] = useState({ key: "name", ascending: true });
  const code = user.scopeCode || "20";

  useEffect(() => {
    let live = true;
    setData(null);
    loadRates(code, year, geo).then((d) => live && setData(d), onError);
    return () => { live = false; };
  }, [code, year, geo]);

  const years = [];
  for (let y = thisYear; y >= FIRST_YEAR; y -= 1) years.push(y);
  const toggle = (key) => setSort({ key, ascending: sort.key === key ? !sort.ascending : key === "name" });
  return html`<section aria-labelledby="dashboard-title">
    <h2 id="dashboard-title">${w.dashboard}${data?.unit ? ` · ${data.unit.name}` : ""}</h2>
    <div class="filters">
      <label>${w.year} <select id="year" value=${year}
        onChange=${(e) => setYear(Number(e.target.value))}>
        ${years.map((y) => html`<option value=${y}>${y}</option>`)}</select></label>
      <label>${w.layout} <select id="layout" value=${geo} onChange=${(e) => setGeo(e.target.value)}>
        <option value="V2025">${w.V2025}</option><option value="LEGACY">${w.LEGACY}</option>
      </select></label>
    </div>
    ${data === null ? html`<p role="status">${w.loading}</p>` : html`
      ${data.total && html`<p class="total" id="total" data-rate=${data.total.rate ?? ""}>
        ${w.total}: ${w.rate} <strong>${formatPercent(data.total.rate)}</strong>
        ${" "}(${w.received} ${formatNumber(data.total.received)}, ${w.target} ${formatPercent(data.total.target)})</p>`}
      <${Chart} rows=${data.rows} w=${w} />
      <${Table} rows=${sorted(data.rows, sort.key, sort.ascending)} w=${w} sort=${sort} toggle=${toggle}
        year=${data.year} geo=${data.geo} />`}
  </section>`;
}

function Table({ rows, w, sort, toggle, year, geo }) {
  const label = (key) => (key === "name" ? w.unit : w[key]);
  return html`<div class="table-wrap"><table id="rates" data-year=${year} data-geo=${geo}>
    <thead><tr>${COLUMNS.map((key) => html`<th scope="col"
        aria-sort=${sort.key === key ? (sort.ascending ? "ascending" : "descending") : "none"}>
      <button type="button" data-sort=${key} title="${w.sortBy} ${label(key)}"
        onClick=${() => toggle(key)}>${label(key)}</button></th>`)}
      <th scope="col">${w.meets}</th></tr></thead>
    <tbody>${rows.map((row) => html`<tr data-code=${row.code} data-rate=${row.rate ?? ""}
        data-received=${row.received} data-successful=${row.successful}
        data-unsuccessful=${row.unsuccessful} data-in-progress=${row.inProgress}
        data-target=${row.target}>
      <th scope="row">${row.name}</th>
      <td>${formatNumber(row.received)}</td><td>${formatNumber(row.successful)}</td>
      <td>${formatNumber(row.unsuccessful)}</td><td>${formatNumber(row.inProgress)}</td>
      <td>${formatPercent(row.rate)}</td><td>${formatPercent(row.target)}</td>
      <td class=${row.meetsTarget ? "ok" : row.meetsTarget === false ? "miss" : ""}>
        ${row.meetsTarget == null ? w.none : row.meetsTarget ? w.yes : w.no}</td>
    </tr>`)}</tbody></table></div>`;
}

// Plain SVG: one bar per unit with a rate, the target as a dashed line.
function Chart({ rows, w }) {
  const shown = rows.filter((row) => row.rate != null);
  if (!shown.length) return null;
  const bar = 18, width = 100;
  const target = shown[0].target;
  return html`<figure class="chart"><figcaption>${w.chart}</figcaption>
    <div class="chart-rows">${shown.map((row) => html`<div class="chart-row">
      <span class="chart-name">${row.name}</span>
      <svg viewBox="0 0 ${width} ${bar}" preserveAspectRatio="none" role="img"
        aria-label="${row.name}: ${formatPercent(row.rate)}" height=${bar}>
        <rect x="0" y="2" height=${bar - 4} width=${row.rate * width}
          class=${row.meetsTarget ? "bar ok" : "bar miss"} />
        <line x1=${row.target * width} x2=${row.target * width} y1="0" y2=${bar} class="target"
          vector-effect="non-scaling-stroke" />
      </svg><span class="chart-value">${formatPercent(row.rate)}</span></div>`)}
    </div>
    <p class="legend"><span class="legend-line"></span> ${w.target} ${formatPercent(target)}</p>
  </figure>`;
}
