// A case's page: what it is, its timeline (every step, who, when) and the actions its
// status and the user's role allow. The API decides: a case outside the user's scope is
// refused (FORBIDDEN) and shown as such, and parties' data appears only if the API gives it.
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { ApiError, gql } from "/console/api.js";
import { formatDate } from "/console/i18n.js";
import { errorText } from "/console/forms.js";
import { Download, LOG_BOOK } from "/console/downloads.js";
import { href } from "/console/route.js";

const CASE = `query($id: ID!) { case(id: $id) { id status category subject channel receivedAt
  assignedAt startDeadline startedAt outcome resolvedAt escalated referredTo
  team { id name mediators { id fullName } } mediators { id fullName }
  timeline { step status actor at } } }`;
const PERSONAL = `query($id: ID!) { case(id: $id) { description parties { fullName address } } }`;
const RESULT = "case { id status } errors { field code message reason }";
const MUTATIONS = {
  assign: `mutation($id: ID!, $mediatorIds: [ID!]!) {
    r: assignMediators(caseId: $id, mediatorIds: $mediatorIds) { ${RESULT} } }`,
  start: `mutation($id: ID!) { r: startMediation(caseId: $id) { ${RESULT} } }`,
  outcome: `mutation($id: ID!, $outcome: Outcome!, $note: String, $agreementText: String) {
    r: recordOutcome(caseId: $id, outcome: $outcome, note: $note, agreementText: $agreementText) { ${RESULT} } }`,
  escalate: `mutation($id: ID!, $reason: String!, $kind: EscalationKind) {
    r: escalateCase(caseId: $id, reason: $reason, kind: $kind) { ${RESULT} } }`,
  refer: `mutation($id: ID!, $authority: String!, $reason: String!) {
    r: referCase(caseId: $id, authority: $authority, reason: $reason) { ${RESULT} } }`,
  followUp: `mutation($id: ID!, $carriedOut: Boolean!, $note: String) {
    r: followUp(caseId: $id, carriedOut: $carriedOut, note: $note) { ${RESULT} } }`,
};
const TEAM_ROLES = ["MEDIATOR", "TEAM_LEADER"];
const WRITERS = [...TEAM_ROLES, "COMMUNE_OFFICER"];
const OPEN = ["RECEIVED", "ASSIGNED", "IN_MEDIATION"];
const TIME = new Intl.DateTimeFormat("vi-VN", { hour: "2-digit", minute: "2-digit",
  timeZone: "Asia/Ho_Chi_Minh" });
const formatDateTime = (value) => (value ? `${formatDate(value)} ${TIME.format(new Date(value))}` : "—");

// The actions this status and this role allow (the API checks them again).
export function actionsFor(c, role) {
  if (!WRITERS.includes(role)) return [];
  const followed = c.timeline.some((s) => s.step === "follow_up");
  return [
    ["RECEIVED", "ASSIGNED"].includes(c.status) && role !== "MEDIATOR" && "assign",
    c.status === "ASSIGNED" && "start",
    c.status === "IN_MEDIATION" && "outcome",
    OPEN.includes(c.status) && !c.escalated && "escalate",
    (OPEN.includes(c.status) || (c.status === "UNSUCCESSFUL" && !c.referredTo)) && "refer",
    c.status === "SUCCESSFUL" && !followed && "followUp",
  ].filter(Boolean);
}

export function CasePage({ id, user, w, onError }) {
  const [data, setData] = useState(null);
  const [personal, setPersonal] = useState(null);
  const [version, setVersion] = useState(0); // reload after an action

  useEffect(() => {
    let live = true;
    gql(CASE, { id }).then((d) => live && setData(d.case ? { case: d.case } : { denied: true }),
      (error) => (error instanceof ApiError ? live && setData({ denied: true }) : onError(error)));
    if (WRITERS.includes(user.role)) {  // the only roles the API gives parties' data to
      gql(PERSONAL, { id }).then((d) => live && setPersonal(d.case), () => live && setPersonal(null));
    }
    return () => { live = false; };
  }, [id, version]);

  const back = html`<p><a href=${href("cases")}>← ${w.cases}</a></p>`;
  if (data === null) return html`${back}<p role="status">${w.loading}</p>`;
  if (data.denied) return html`${back}<p class="error" id="case-denied" role="alert">${w.caseDenied}</p>`;
  const c = data.case;
  const year = Number((c.receivedAt || "").slice(0, 4)) || new Date().getFullYear();
  return html`<section aria-labelledby="case-title" id="case" data-id=${c.id} data-status=${c.status}>
    ${back}
    <h2 id="case-title">${c.subject || w.caseTitle}</h2>
    <dl class="facts">
      <dt>${w.statusLabel}</dt><dd id="case-status">${w.statuses[c.status]}${c.escalated ? ` · ${w.caseEscalated}` : ""}</dd>
      <dt>${w.category}</dt><dd>${w.categories[c.category]}</dd>
      <dt>${w.team}</dt><dd>${c.team?.name || "—"}</dd>
      <dt>${w.receivedAt}</dt><dd>${formatDate(c.receivedAt)}</dd>
      <dt>${w.caseStartDeadline}</dt><dd>${formatDate(c.startDeadline)}</dd>
      <dt>${w.caseMediators}</dt><dd>${c.mediators.map((m) => m.fullName).join(", ") || "—"}</dd>
      ${c.referredTo && html`<dt>${w.referredTo}</dt><dd>${c.referredTo}</dd>`}
    </dl>
    ${personal && html`<h3>${w.description}</h3><p id="case-description">${personal.description}</p>
      <h3>${w.parties}</h3><ul>${personal.parties.map((p) => html`<li>${p.fullName}${p.address ? ` · ${p.address}` : ""}</li>`)}</ul>`}
    <h3 id="timeline-title">${w.timeline}</h3>
    <ol id="timeline" aria-labelledby="timeline-title">${c.timeline.map((s) => html`<li
        data-step=${s.step} data-actor=${s.actor} data-at=${s.at}>
      <time datetime=${s.at}>${formatDateTime(s.at)}</time>${` · ${w.steps[s.step] || s.step}`}
      ${s.step === "receive" ? "" : ` (${w.statuses[s.status]})`}${" · "}<span class="actor">${s.actor}</span></li>`)}</ol>
    <${Actions} c=${c} role=${user.role} w=${w} onError=${onError} done=${() => setVersion(version + 1)} />
    ${c.team && (TEAM_ROLES.includes(user.role) || user.role === "COMMUNE_OFFICER") && html`<p>
      <${Download} id="download-log-book" label=${`${w.logBook} ${year} (XLSX)`} query=${LOG_BOOK}
        variables=${{ team: c.team.id, year, format: "XLSX" }} onError=${onError} /></p>`}
  </section>`;
}

function Actions({ c, role, w, onError, done }) {
  const allowed = actionsFor(c, role);
  if (!allowed.length) return null;
  return html`<h3>${w.actions}</h3><div class="case-actions">
    ${allowed.map((name) => html`<${Action} key=${`${c.id}-${c.status}-${name}`} name=${name}
      c=${c} w=${w} onError=${onError} done=${done} />`)}</div>`;
}

const FIELDS = { // each action's fields: [name, kind, options]
  assign: [["mediatorIds", "mediators"]],
  start: [],
  outcome: [["outcome", "select", ["SUCCESSFUL", "UNSUCCESSFUL", "STOPPED"]], ["note", "text"],
    ["agreementText", "textarea"]],
  escalate: [["kind", "select", ["MASS_OR_COMPLEX", "VIOLENCE_RISK", "CRIME_SIGNS"]],
    ["reason", "text", null, true]],
  refer: [["authority", "text", null, true], ["reason", "text", null, true]],
  followUp: [["carriedOut", "select", ["true", "false"]], ["note", "text"]],
};

function initial(name) {
  const values = {};
  for (const [field, kind, options] of FIELDS[name]) {
    values[field] = kind === "mediators" ? [] : kind === "select" ? options[0] : "";
  }
  return values;
}

function Action({ name, c, w, onError, done }) {
  const [values, setValues] = useState(() => initial(name));
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const set = (field) => (e) => setValues({ ...values, [field]: e.target.value });
  const toggle = (mediator) => (e) => setValues({ ...values, mediatorIds: e.target.checked
    ? [...values.mediatorIds, mediator] : values.mediatorIds.filter((m) => m !== mediator) });

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const variables = { id: c.id, ...values };
    if (name === "followUp") variables.carriedOut = values.carriedOut === "true";
    for (const key of ["note", "agreementText"]) if (variables[key] === "") variables[key] = null;
    try {
      const result = (await gql(MUTATIONS[name], variables)).r;
      if (result.errors.length) {
        // kept as the API gives them and worded when drawn, so the language switch rewords them
        setErrors(Object.fromEntries(result.errors.map((e) => [
          FIELDS[name].some(([f]) => f === e.field) ? e.field : "form", e])));
      } else {
        done();
      }
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  }

  const id = (field) => `${name}-${field}`;
  const error = (field) => errors[field] && html`<span class="error" id=${`${id(field)}-error`}
    role="alert">${errorText(errors[field], w)}</span>`;
  const described = (field) => (errors[field] ? `${id(field)}-error` : undefined);
  const field = ([f, kind, options, required]) => {
    if (kind === "mediators") {
      return html`<fieldset id=${id(f)} aria-describedby=${described(f)}><legend>${w.fields[f]}</legend>
        ${(c.team?.mediators || []).map((m) => html`<label class="check">
          <input type="checkbox" value=${m.id} checked=${values.mediatorIds.includes(m.id)}
            onChange=${toggle(m.id)} /> ${m.fullName}</label>`)}
        ${error(f)}</fieldset>`;
    }
    const label = html`<label for=${id(f)}>${w.fields[f]}</label>`;
    if (kind === "select") {
      return html`${label}<select id=${id(f)} value=${values[f]} onChange=${set(f)}
          aria-describedby=${described(f)}>
        ${options.map((o) => html`<option value=${o}>${w.choices[o]}</option>`)}</select>${error(f)}`;
    }
    const Tag = kind === "textarea" ? "textarea" : "input";
    return html`${label}<${Tag} id=${id(f)} value=${values[f]} required=${!!required}
      maxlength="2000" onInput=${set(f)} aria-describedby=${described(f)} />${error(f)}`;
  };
  return html`<form class="form action" id=${`action-${name}`} onSubmit=${submit}>
    <h4>${w.actionNames[name]}</h4>
    ${error("form")}
    ${FIELDS[name].map(field)}
    <div class="actions"><button type="submit" id=${`do-${name}`} disabled=${busy}>
      ${w.actionNames[name]}</button></div>
  </form>`;
}
