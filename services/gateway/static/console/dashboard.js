// The dashboard: the success rate of each child unit of a unit for a year and layout,
// against its target, as a chart and a sortable table; a unit's name drills down
// (V2025: province → commune → team; LEGACY: province → district → commune → team).
// Beside it: the trend over the years, hot spots, overdue cases and non-compliant teams.
// Requests: the children and the unit's own total, then the children's rates (one
// aliased query); beside them the panels in one query (aggregates, plus the registry's
// and the cases' lists for the roles that may read them).
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";
import { formatDate, formatNumber, formatPercent } from "/console/i18n.js";
import { RateBars, Trend } from "/console/chart.js";
import { PipelineNotice } from "/console/pipeline.js";

const FIGURES = "received successful unsuccessful inProgress rate target meetsTarget";
export const FIRST_YEAR = 2018; // Plan 73's first year
const SCOPED = ["MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"];
const CHILDREN = `query($code: String!, $year: Int!, $geo: GeoVersion!) {
  unit(code: $code, geoVersion: $geo) { code name level children { code name level } }
  successRate(unitCode: $code, year: $year, geoVersion: $geo) { ${FIGURES} } }`;
const TEAMS = `query($code: String!, $geo: GeoVersion!, $year: Int!) {
  teams(unitCode: $code, geoVersion: $geo, first: 100) { edges { node { id name
    successRate(year: $year) { ${FIGURES} } } } } }`;
const PUBLIC_PANELS = `
  multiYearSummary(unitCode: $code, fromYear: $from, toYear: $year, geoVersion: $geo) {
    years { year received rate target meetsTarget } }
  hotspots(unitCode: $code, days: 30, geoVersion: $geo) {
    unit { code name } category cases ratio escalated reasons asOf }`;
const SCOPED_PANELS = `
  overdueCases(unitCode: $code, geoVersion: $geo, first: 10) { totalCount
    edges { node { id category receivedAt startDeadline team { name } } } }
  nonCompliantTeams(unitCode: $code, geoVersion: $geo) { id name unit { name }
    issues { code severity } }`;
// The panels in one request: the aggregates, plus the scoped lists for the roles that may
// read them (the dashboard stays within 5 requests, bench/bench_console.py).
const panelsQuery = (scoped) => `query($code: String!, $from: Int!, $year: Int!, $geo: GeoVersion!) {
  ${PUBLIC_PANELS} ${scoped ? SCOPED_PANELS : ""} }`;

// One aliased successRate per child: the units are few (65 communes in V2025).
function ratesQuery(count) {
  const args = Array.from({ length: count }, (_, i) => `$c${i}: String!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) =>
    `u${i}: successRate(unitCode: $c${i}, year: $year, geoVersion: $geo) { ${FIGURES} }`);
  return `query($year: Int!, $geo: GeoVersion!, ${args}) { ${fields.join("\n")} }`;
}

export async function loadRates(code, year, geo, user) {
  const first = await gql(CHILDREN, { code, year, geo });
  if (!first.unit) return { year, geo, unit: null, total: null, rows: [] };
  const children = first.unit.children;
  let rows = [];
  if (children.length) {
    const variables = { year, geo };
    children.forEach((child, i) => { variables[`c${i}`] = child.code; });
    const rates = await gql(ratesQuery(children.length), variables);
    rows = children.map((child, i) => ({ ...child, ...rates[`u${i}`] }));
  } else if (user && SCOPED.includes(user.role)) { // a commune: its teams, those in scope
    const data = await gql(TEAMS, { code, geo, year });
    rows = data.teams.edges.map(({ node }) => ({ code: node.id, name: node.name, level: "TEAM",
      ...node.successRate }));
  }
  return { year, geo, unit: first.unit, total: first.successRate, rows };
}

export async function loadPanels(code, year, geo, user) {
  const from = Math.max(FIRST_YEAR, year - 7);
  return gql(panelsQuery(SCOPED.includes(user.role)), { code, from, year, geo });
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
  const [path, setPath] = useState([]); // the units drilled into below the user's own
  const [data, setData] = useState(null);
  const [panels, setPanels] = useState(null);
  const [sort, setSort] = useState({ key: "name", ascending: true });
  const [loads, setLoads] = useState(0); // a reload once reporting has caught up
  const code = path.length ? path[path.length - 1].code : user.scopeCode || "20";

  useEffect(() => {
    let live = true;
    setData(null);
    setPanels(null);
    loadRates(code, year, geo, user).then((d) => live && setData(d), onError);
    loadPanels(code, year, geo, user).then((p) => live && setPanels(p), onError);
    return () => { live = false; };
  }, [code, year, geo, loads]);

  const years = [];
  for (let y = thisYear; y >= FIRST_YEAR; y -= 1) years.push(y);
  const toggle = (key) => setSort({ key, ascending: sort.key === key ? !sort.ascending : key === "name" });
  const drill = (row) => setPath([...path, { code: row.code, name: row.name }]);
  return html`<section aria-labelledby="dashboard-title">
    <h2 id="dashboard-title">${w.dashboard}${data?.unit ? ` · ${data.unit.name}` : ""}</h2>
    <${PipelineNotice} w=${w} onCaughtUp=${() => setLoads((n) => n + 1)} />
    <div class="filters">
      <label>${w.year} <select id="year" value=${year}
        onChange=${(e) => setYear(Number(e.target.value))}>
        ${years.map((y) => html`<option value=${y}>${y}</option>`)}</select></label>
      <label>${w.layout} <select id="layout" value=${geo}
        onChange=${(e) => { setPath([]); setGeo(e.target.value); }}>
        <option value="V2025">${w.V2025}</option><option value="LEGACY">${w.LEGACY}</option>
      </select></label>
    </div>
    ${path.length > 0 && html`<nav class="crumbs" aria-label=${w.drillPath}><ol>
      <li><button type="button" class="link" id="crumb-top" onClick=${() => setPath([])}>${w.top}</button></li>
      ${path.map((unit, i) => html`<li><button type="button" class="link"
        aria-current=${i === path.length - 1 ? "page" : undefined}
        onClick=${() => setPath(path.slice(0, i + 1))}>${unit.name}</button></li>`)}</ol></nav>`}
    ${data === null ? html`<p role="status">${w.loading}</p>` : html`
      ${data.total && html`<p class="total" id="total" data-rate=${data.total.rate ?? ""}
        data-received=${data.total.received}>
        ${w.total}: ${w.rate} <strong>${formatPercent(data.total.rate)}</strong>
        ${" "}(${w.received} ${formatNumber(data.total.received)}, ${w.target} ${formatPercent(data.total.target)})</p>`}
      <${RateBars} rows=${data.rows} w=${w} />
      <${Table} rows=${sorted(data.rows, sort.key, sort.ascending)} w=${w} sort=${sort} toggle=${toggle}
        year=${data.year} geo=${data.geo} drill=${drill} />`}
    ${panels && html`<${Panels} panels=${panels} w=${w} />`}
  </section>`;
}

function Table({ rows, w, sort, toggle, year, geo, drill }) {
  const label = (key) => (key === "name" ? (rows[0]?.level === "TEAM" ? w.team : w.unit) : w[key]);
  if (!rows.length) return html`<p id="rates-empty">${w.noRows}</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${w.dashboard}><table id="rates" data-year=${year} data-geo=${geo}>
    <thead><tr>${COLUMNS.map((key) => html`<th scope="col"
        aria-sort=${sort.key === key ? (sort.ascending ? "ascending" : "descending") : "none"}>
        <button type="button" data-sort=${key} onClick=${() => toggle(key)}
          aria-label="${w.sortBy} ${label(key)}">${label(key)}</button></th>`)}
      <th scope="col">${w.meets}</th></tr></thead>
    <tbody>${rows.map((row) => html`<tr data-code=${row.code} data-rate=${row.rate ?? ""}
        data-received=${row.received} data-successful=${row.successful}
        data-unsuccessful=${row.unsuccessful} data-in-progress=${row.inProgress}
        data-target=${row.target} data-level=${row.level}>
      <th scope="row">${row.level === "TEAM" ? row.name : html`<button type="button" class="link"
        data-drill=${row.code} onClick=${() => drill(row)}>${row.name}</button>`}</th>
      <td>${formatNumber(row.received)}</td><td>${formatNumber(row.successful)}</td>
      <td>${formatNumber(row.unsuccessful)}</td><td>${formatNumber(row.inProgress)}</td>
      <td>${formatPercent(row.rate)}</td><td>${formatPercent(row.target)}</td>
      <td class=${row.meetsTarget ? "ok" : row.meetsTarget === false ? "miss" : ""}>
        ${row.meetsTarget == null ? w.none : row.meetsTarget ? w.yes : w.no}</td>
    </tr>`)}</tbody></table></div>`;
}

function Panels({ panels, w }) {
  const { multiYearSummary, hotspots, overdueCases, nonCompliantTeams } = panels;
  return html`<div class="panels">
    <${Trend} years=${multiYearSummary.years} w=${w} />
    <section class="panel" id="hotspots" data-count=${hotspots.length} aria-labelledby="hotspots-title">
      <h3 id="hotspots-title">${w.hotspots} <span class="count">${formatNumber(hotspots.length)}</span></h3>
      ${hotspots.length ? html`<ul>${hotspots.map((h) => html`<li>
        <strong>${h.unit?.name}</strong>: ${formatNumber(h.cases)} ${w.casesIn30Days}${h.ratio
          ? html` (${w.ratio} ${formatNumber(Math.round(h.ratio * 10) / 10)})` : ""}${h.escalated
          ? html`, ${formatNumber(h.escalated)} ${w.escalated}` : ""}</li>`)}</ul>`
        : html`<p>${w.noHotspots}</p>`}
    </section>
    ${overdueCases && html`<section class="panel" id="overdue" data-count=${overdueCases.totalCount}
        aria-labelledby="overdue-title">
      <h3 id="overdue-title">${w.overdue} <span class="count">${formatNumber(overdueCases.totalCount)}</span></h3>
      <ul>${overdueCases.edges.map(({ node }) => html`<li>
        <a href=${`#/cases/${encodeURIComponent(node.id)}`} data-case=${node.id}>${w.categories[node.category]}</a>
        ${` · ${node.team?.name} · ${w.startDeadline} ${formatDate(node.startDeadline)}`}</li>`)}</ul>
    </section>`}
    ${nonCompliantTeams && html`<section class="panel" id="non-compliant"
        data-count=${nonCompliantTeams.length} aria-labelledby="non-compliant-title">
      <h3 id="non-compliant-title">${w.nonCompliant} <span class="count">${formatNumber(nonCompliantTeams.length)}</span></h3>
      <ul>${nonCompliantTeams.slice(0, 20).map((t) => html`<li data-team=${t.id}>
        <strong>${t.name}</strong> (${t.unit?.name}): ${t.issues.filter((i) => i.severity === "RULE")
          .map((i) => w.issues[i.code] || i.code).join("; ")}</li>`)}</ul>
    </section>`}
  </div>`;
}
