// Reports: indicator 0403 on screen with the official labels (as the exported files) and
// its CSV/XLSX downloads; a team's log book; the multi-year summary; remuneration; the
// pilot evaluation. Each part asks only what the user's role may read.
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";
import { formatMoney, formatNumber, formatPercent } from "/console/i18n.js";
import { saveFile } from "/console/downloads.js";
import { FIRST_YEAR } from "/console/dashboard.js";
import { PipelineNotice } from "/console/pipeline.js";

const COUNTS = "received successful unsuccessful inProgress stopped referred rate";
const REPORT = `query($code: String!, $year: Int!, $half: Int, $geo: GeoVersion!) {
  report(unitCode: $code, year: $year, half: $half, geoVersion: $geo) { indicator unit { name }
    year half teams mediators total { ${COUNTS} } byCategory { category ${COUNTS} } } }`;
const REPORT_FILE = `query($code: String!, $year: Int!, $half: Int, $geo: GeoVersion!, $format: FileFormat!) {
  reportFile(unitCode: $code, year: $year, half: $half, geoVersion: $geo, format: $format) {
    filename contentType contentBase64 } }`;
const SUMMARY = `query($code: String!, $from: Int!, $to: Int!, $geo: GeoVersion!) {
  multiYearSummary(unitCode: $code, fromYear: $from, toYear: $to, geoVersion: $geo) {
    years { year ${COUNTS} target meetsTarget } total { ${COUNTS} } } }`;
const TEAMS = `query($code: String, $geo: GeoVersion!) { teams(unitCode: $code, geoVersion: $geo, first: 100) {
  edges { node { id name } } } }`;
const LOG_BOOK = `query($team: ID!, $year: Int!, $format: FileFormat!) {
  logBook(teamId: $team, year: $year, format: $format) { filename contentType contentBase64 } }`;
const REMUNERATION = `query($code: String!, $year: Int!, $geo: GeoVersion!) {
  remuneration(unitCode: $code, year: $year, geoVersion: $geo) { cases paid budget remaining } }`;
const PILOT = `query($year: Int!) { pilotEvaluation(year: $year) { teamsMeetingTarget
  modelTeams { teamId team { name } commune { name } received rate target meetsTarget }
  districts { unit { name } meetsMinimum pilotCommunes { unit { name } } } } }`;
const COLUMNS = ["received", "successful", "unsuccessful", "inProgress", "stopped", "referred", "rate"];
const OFFICERS = ["COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"];
const LOG_BOOK_ROLES = ["MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER"];

function years(to) {
  const list = [];
  for (let y = to; y >= FIRST_YEAR; y -= 1) list.push(y);
  return list;
}

export function Reports({ user, w, onError }) {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const geo = user.scopeVersion || "V2025";
  const code = user.scopeCode || "20";
  const [loads, setLoads] = useState(0); // the figures again once reporting has caught up
  return html`<section aria-labelledby="reports-title" key=${loads}>
    <h2 id="reports-title">${w.reports}</h2>
    <${PipelineNotice} w=${w} onCaughtUp=${() => setLoads((n) => n + 1)} />
    <div class="filters"><label>${w.year} <select id="report-year" value=${year}
      onChange=${(e) => setYear(Number(e.target.value))}>
      ${years(thisYear).map((y) => html`<option value=${y}>${y}</option>`)}</select></label></div>
    <${Report0403} code=${code} geo=${geo} year=${year} w=${w} onError=${onError} />
    ${LOG_BOOK_ROLES.includes(user.role) && html`<${LogBook} user=${user} year=${year} w=${w} onError=${onError} />`}
    <${Summary} code=${code} geo=${geo} year=${year} w=${w} onError=${onError} />
    ${OFFICERS.includes(user.role) && html`<${Remuneration} code=${code} geo=${geo} year=${year} w=${w} onError=${onError} />`}
    <${Pilot} w=${w} onError=${onError} />
  </section>`;
}

function useQuery(query, variables, onError) {
  const [data, setData] = useState(null);
  useEffect(() => {
    let live = true;
    setData(null);
    gql(query, variables).then((d) => live && setData(d), onError);
    return () => { live = false; };
  }, [JSON.stringify(variables)]);
  return data;
}

function Figures({ row, w }) {
  return COLUMNS.map((key) => html`<td data-key=${key}>${key === "rate" ? formatPercent(row[key])
    : formatNumber(row[key])}</td>`);
}

function Report0403({ code, geo, year, w, onError }) {
  const [half, setHalf] = useState("");
  const variables = { code, year, geo, half: half ? Number(half) : null };
  const data = useQuery(REPORT, variables, onError);
  async function save(format) {
    try {
      saveFile((await gql(REPORT_FILE, { ...variables, format })).reportFile);
    } catch (error) {
      onError(error);
    }
  }
  const report = data?.report;
  return html`<section class="panel" id="report-0403" aria-labelledby="report-0403-title">
    <h3 id="report-0403-title">${w.report0403}${report ? ` · ${report.unit.name}` : ""}</h3>
    <div class="filters"><label>${w.period} <select id="report-half" value=${half}
      onChange=${(e) => setHalf(e.target.value)}>
      <option value="">${w.wholeYear}</option><option value="1">${w.half1}</option>
      <option value="2">${w.half2}</option></select></label>
      <button type="button" id="report-csv" onClick=${() => save("CSV")}>${w.downloadCsv}</button>
      <button type="button" id="report-xlsx" onClick=${() => save("XLSX")}>${w.downloadXlsx}</button></div>
    ${!report ? html`<p role="status">${w.loading}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${w.report0403}>
      <table id="report-table" data-received=${report.total.received}>
      <thead><tr><th scope="col">${w.group}</th>${COLUMNS.map((key) => html`<th scope="col">${w.report[key]}</th>`)}</tr></thead>
      <tbody>${report.byCategory.map((row) => html`<tr data-category=${row.category}>
        <th scope="row">${w.categories[row.category]}</th><${Figures} row=${row} w=${w} /></tr>`)}
        <tr class="sum" data-category="TOTAL"><th scope="row">${w.sum}</th><${Figures} row=${report.total} w=${w} /></tr>
      </tbody></table></div>
      <p>${w.teamsCount}: <strong id="report-teams">${formatNumber(report.teams)}</strong>;
        ${" "}${w.mediatorsCount}: <strong id="report-mediators">${formatNumber(report.mediators)}</strong></p>`}
  </section>`;
}

function LogBook({ user, year, w, onError }) {
  const data = useQuery(TEAMS, { code: user.scopeCode, geo: user.scopeVersion || "LEGACY" }, onError);
  const [team, setTeam] = useState("");
  const teams = data?.teams.edges.map((e) => e.node) || [];
  async function save(format) {
    try {
      saveFile((await gql(LOG_BOOK, { team: team || teams[0].id, year, format })).logBook);
    } catch (error) {
      onError(error);
    }
  }
  return html`<section class="panel" id="log-book" aria-labelledby="log-book-title">
    <h3 id="log-book-title">${w.logBook}</h3>
    ${!data ? html`<p role="status">${w.loading}</p>` : html`<div class="filters">
      <label>${w.team} <select id="log-book-team" value=${team || teams[0]?.id} onChange=${(e) => setTeam(e.target.value)}>
        ${teams.map((t) => html`<option value=${t.id}>${t.name}</option>`)}</select></label>
      <button type="button" id="log-book-csv" disabled=${!teams.length} onClick=${() => save("CSV")}>${w.downloadCsv}</button>
      <button type="button" id="log-book-xlsx" disabled=${!teams.length} onClick=${() => save("XLSX")}>${w.downloadXlsx}</button>
    </div>`}
  </section>`;
}

function Summary({ code, geo, year, w, onError }) {
  const data = useQuery(SUMMARY, { code, geo, from: FIRST_YEAR, to: year }, onError);
  const summary = data?.multiYearSummary;
  return html`<section class="panel" id="summary" aria-labelledby="summary-title">
    <h3 id="summary-title">${w.summary} ${FIRST_YEAR}–${year}</h3>
    ${!summary ? html`<p role="status">${w.loading}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${w.summary}><table id="summary-table">
      <thead><tr><th scope="col">${w.year}</th>${COLUMNS.map((key) => html`<th scope="col">${w.report[key]}</th>`)}
        <th scope="col">${w.meets}</th></tr></thead>
      <tbody>${summary.years.map((row) => html`<tr data-year=${row.year} data-rate=${row.rate ?? ""}>
        <th scope="row">${row.year}</th><${Figures} row=${row} w=${w} />
        <td class=${row.meetsTarget ? "ok" : row.meetsTarget === false ? "miss" : ""}>
          ${row.meetsTarget == null ? w.none : row.meetsTarget ? w.yes : w.no}</td></tr>`)}
        <tr class="sum"><th scope="row">${w.sum}</th><${Figures} row=${summary.total} w=${w} /><td></td></tr>
      </tbody></table></div>`}
  </section>`;
}

function Remuneration({ code, geo, year, w, onError }) {
  const data = useQuery(REMUNERATION, { code, geo, year }, onError);
  const r = data?.remuneration;
  return html`<section class="panel" id="remuneration" aria-labelledby="remuneration-title">
    <h3 id="remuneration-title">${w.remuneration}</h3>
    ${!r ? html`<p role="status">${w.loading}</p>` : html`<dl class="figures">
      <dt>${w.paidCases}</dt><dd id="remuneration-cases">${formatNumber(r.cases)}</dd>
      <dt>${w.paid}</dt><dd id="remuneration-paid">${formatMoney(r.paid)}</dd>
      <dt>${w.budget}</dt><dd>${formatMoney(r.budget)}</dd>
      <dt>${w.remaining}</dt><dd>${formatMoney(r.remaining)}</dd></dl>`}
  </section>`;
}

function Pilot({ w, onError }) {
  const [year, setYear] = useState(FIRST_YEAR);
  const data = useQuery(PILOT, { year }, onError);
  const p = data?.pilotEvaluation;
  return html`<section class="panel" id="pilot" aria-labelledby="pilot-title">
    <h3 id="pilot-title">${w.pilot}</h3>
    <div class="filters"><label>${w.programmeYear} <select id="pilot-year" value=${year}
      onChange=${(e) => setYear(Number(e.target.value))}>
      ${years(new Date().getFullYear()).map((y) => html`<option value=${y}>${y}</option>`)}</select></label></div>
    ${!p ? html`<p role="status">${w.loading}</p>` : html`
      <p>${w.modelTeamsMeeting}: <strong id="pilot-meeting">${formatNumber(p.teamsMeetingTarget)}</strong>
        / ${formatNumber(p.modelTeams.length)}</p>
      ${p.modelTeams.length > 0 && html`<div class="table-wrap" tabindex="0" role="region" aria-label=${w.pilot}><table id="pilot-table">
        <thead><tr><th scope="col">${w.team}</th><th scope="col">${w.commune}</th>
          <th scope="col">${w.received}</th><th scope="col">${w.rate}</th><th scope="col">${w.target}</th>
          <th scope="col">${w.meets}</th></tr></thead>
        <tbody>${p.modelTeams.map((t) => html`<tr data-team=${t.teamId}>
          <th scope="row">${t.team?.name || w.hidden}</th><td>${t.commune?.name}</td>
          <td>${formatNumber(t.received)}</td><td>${formatPercent(t.rate)}</td><td>${formatPercent(t.target)}</td>
          <td class=${t.meetsTarget ? "ok" : t.meetsTarget === false ? "miss" : ""}>
            ${t.meetsTarget == null ? w.none : t.meetsTarget ? w.yes : w.no}</td></tr>`)}</tbody></table></div>`}`}
  </section>`;
}
