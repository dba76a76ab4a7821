// The cases list (vụ việc): the user's own scope as the API gives it, filtered by status
// and category, 20 at a time with Relay paging (`first`/`after`; back by the cursors seen).
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";
import { formatDate, formatNumber } from "/console/i18n.js";
import { href } from "/console/route.js";
import { Download, REPORT_FILE } from "/console/downloads.js";

export const STATUSES = ["RECEIVED", "ASSIGNED", "IN_MEDIATION", "SUCCESSFUL", "UNSUCCESSFUL",
  "STOPPED", "REFERRED"];
const CATEGORIES = ["CONFLICT", "CIVIL_FAMILY", "OTHER"];
const PAGE = 20;
const CASES = `query($status: CaseStatus, $category: CaseCategory, $first: Int, $after: String) {
  cases(status: $status, category: $category, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status category subject receivedAt startDeadline team { name } } } } }`;

export function Cases({ user, w, onError }) {
  const [filters, setFilters] = useState({ status: "", category: "" });
  const [cursors, setCursors] = useState([null]); // the `after` of each page seen so far
  const [data, setData] = useState(null);
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    setData(null);
    gql(CASES, { status: filters.status || null, category: filters.category || null,
      first: PAGE, after }).then((d) => live && setData(d.cases), onError);
    return () => { live = false; };
  }, [filters, after]);

  const filter = (name) => (e) => { setFilters({ ...filters, [name]: e.target.value }); setCursors([null]); };
  const first = (cursors.length - 1) * PAGE;
  const year = new Date().getFullYear();
  const report = user.role.endsWith("_OFFICER") && html`<p><${Download} id="download-report"
    label=${`${w.report0403} ${year} (XLSX)`} query=${REPORT_FILE} onError=${onError}
    variables=${{ unit: user.scopeCode || "20", year, geo: user.scopeVersion || "V2025", format: "XLSX" }} /></p>`;
  return html`<section aria-labelledby="cases-title">
    <h2 id="cases-title">${w.cases}</h2>
    <div class="filters case-filters">
      <label>${w.statusLabel} <select id="filter-status" value=${filters.status} onChange=${filter("status")}>
        <option value="">${w.all}</option>
        ${STATUSES.map((s) => html`<option value=${s}>${w.statuses[s]}</option>`)}</select></label>
      <label>${w.category} <select id="filter-category" value=${filters.category} onChange=${filter("category")}>
        <option value="">${w.all}</option>
        ${CATEGORIES.map((c) => html`<option value=${c}>${w.categories[c]}</option>`)}</select></label>
    </div>
    ${data === null ? html`<p role="status">${w.loading}</p>` : html`
      <p id="cases-count" data-total=${data.totalCount}>${data.edges.length
        ? `${formatNumber(first + 1)}–${formatNumber(first + data.edges.length)} / ${formatNumber(data.totalCount)}`
        : w.noCases}</p>
      <div class="table-wrap"><table id="cases" class="cases">
        <thead><tr><th scope="col">${w.subjectShort}</th><th scope="col">${w.statusLabel}</th>
          <th scope="col">${w.category}</th><th scope="col">${w.team}</th>
          <th scope="col">${w.receivedAt}</th><th scope="col">${w.caseStartDeadline}</th></tr></thead>
        <tbody>${data.edges.map(({ node }) => html`<tr data-id=${node.id} data-status=${node.status}>
          <th scope="row"><a href=${href("cases", node.id)}>${node.subject || node.id}</a></th>
          <td>${w.statuses[node.status]}</td><td>${w.categories[node.category]}</td>
          <td>${node.team?.name || "—"}</td><td>${formatDate(node.receivedAt)}</td>
          <td>${formatDate(node.startDeadline)}</td></tr>`)}</tbody></table></div>
      <nav class="pager" aria-label=${w.pages}>
        <button type="button" id="cases-previous" disabled=${cursors.length === 1}
          onClick=${() => setCursors(cursors.slice(0, -1))}>${w.previous}</button>
        <button type="button" id="cases-next" disabled=${!data.pageInfo.hasNextPage}
          onClick=${() => setCursors([...cursors, data.pageInfo.endCursor])}>${w.next}</button>
      </nav>`}
    ${report}
  </section>`;
}
