// The registry (commune officers; Law 35 Art. 8, 12): the commune's teams with their
// mediators and compliance warnings; forming a team, adding and recognising a mediator,
// electing a leader, through the public mutations, with the API's field errors shown
// next to the fields in the console's words (forms.js errorText: by the refusal's reason).
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";
import { formatDate } from "/console/i18n.js";
import { Field, mutate, today, wordErrors } from "/console/forms.js";
import { DateField } from "/console/datefield.js";

const TEAMS = `query($code: String, $geo: GeoVersion!) {
  teams(unitCode: $code, geoVersion: $geo, first: 100) { totalCount edges { node {
    id name village status compliant issues { code severity }
    leader { id } mediators { id fullName gender yearOfBirth ethnicity electedOn
      recognition { decisionNumber decisionDate late } } } } } }`;
const ERRORS = "errors { field code message reason }";
const FORM_TEAM = `mutation($input: FormTeamInput!) { formTeam(input: $input) { team { id } ${ERRORS} } }`;
const ADD = `mutation($input: AddMediatorInput!) { addMediator(input: $input) { mediator { id } ${ERRORS} } }`;
const RECOGNISE = `mutation($input: RecogniseMediatorInput!) { recogniseMediator(input: $input) {
  mediator { id } ${ERRORS} } }`;
const ELECT = `mutation($teamId: ID!, $mediatorId: ID!, $electedOn: String) {
  electLeader(teamId: $teamId, mediatorId: $mediatorId, electedOn: $electedOn) { team { id } ${ERRORS} } }`;

export function Registry({ user, w, onError }) {
  const [teams, setTeams] = useState(null);
  const [selected, setSelected] = useState(null);
  const [version, setVersion] = useState(0); // bumped after each change: reload the list
  const geo = user.scopeVersion || "LEGACY";

  useEffect(() => {
    gql(TEAMS, { code: user.scopeCode, geo }).then((d) => {
      setTeams(d.teams.edges.map((e) => e.node));
    }, onError);
  }, [version]);
  const changed = () => setVersion(version + 1);
  const team = teams?.find((t) => t.id === selected);

  return html`<section aria-labelledby="registry-title">
    <h2 id="registry-title">${w.registry}</h2>
    ${teams === null ? html`<p role="status">${w.loading}</p>` : html`
      <div class="table-wrap" tabindex="0" role="region" aria-label=${w.registry}><table id="teams" class="teams">
        <thead><tr><th scope="col">${w.team}</th><th scope="col">${w.mediators}</th>
          <th scope="col">${w.compliance}</th><th scope="col"><span class="sr-only">${w.open}</span></th></tr></thead>
        <tbody>${teams.map((t) => html`<tr data-team=${t.id} data-compliant=${String(t.compliant)}>
          <th scope="row">${t.name}</th><td>${t.mediators.length}</td>
          <td class=${t.compliant ? "ok" : "miss"}>${t.compliant ? w.compliant
            : t.issues.filter((i) => i.severity === "RULE").map((i) => w.issues[i.code] || i.code).join("; ")}
            ${t.issues.filter((i) => i.severity === "WARNING").map((i) => html`<br /><small class="warn">${w.issues[i.code] || i.code}</small>`)}</td>
          <td><button type="button" class="link" data-open=${t.id} aria-label="${w.open} ${t.name}"
            onClick=${() => setSelected(t.id)}>${w.open}</button></td></tr>`)}</tbody>
      </table></div>
      ${team && html`<${TeamCard} team=${team} w=${w} onError=${onError} changed=${changed} />`}
      <${FormTeam} user=${user} w=${w} onError=${onError}
        changed=${(id) => { setSelected(id); changed(); }} />`}
  </section>`;
}

function TeamCard({ team, w, onError, changed }) {
  return html`<section class="panel" id="team-card" data-team=${team.id} aria-labelledby="team-card-title">
    <h3 id="team-card-title">${team.name}</h3>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${team.name}><table class="mediators">
      <thead><tr><th scope="col">${w.fullName}</th><th scope="col">${w.gender}</th>
        <th scope="col">${w.yearOfBirth}</th><th scope="col">${w.ethnicity}</th>
        <th scope="col">${w.electedOn}</th><th scope="col">${w.recognition}</th></tr></thead>
      <tbody>${team.mediators.map((m) => html`<tr data-mediator=${m.id}>
        <th scope="row">${m.fullName}${m.id === team.leader?.id ? html` <em>(${w.leader})</em>` : ""}</th>
        <td>${w.genders[m.gender] || m.gender}</td><td>${m.yearOfBirth ?? w.none}</td>
        <td>${m.ethnicity ?? w.none}</td><td>${formatDate(m.electedOn)}</td>
        <td class=${m.recognition?.late ? "miss" : ""}>${m.recognition
          ? `${m.recognition.decisionNumber}, ${formatDate(m.recognition.decisionDate)}${m.recognition.late ? ` (${w.late})` : ""}`
          : w.notRecognised}</td></tr>`)}</tbody></table></div>
    <div class="forms">
      <${AddMediator} team=${team} w=${w} onError=${onError} changed=${changed} />
      <${Recognise} team=${team} w=${w} onError=${onError} changed=${changed} />
      <${Elect} team=${team} w=${w} onError=${onError} changed=${changed} />
    </div>
  </section>`;
}

// A form whose submit runs a mutation and shows its field errors; `read` turns the form's
// values into the mutation's variables.
function MutationForm({ id, title, query, name, read, w, onError, changed, children }) {
  const [errors, setErrors] = useState({});
  const [done, setDone] = useState(false);
  async function submit(event) {
    event.preventDefault();
    const form = event.target;
    try {
      const { payload, errors: found } = await mutate(query, read(new FormData(form)), name);
      setErrors(found);
      setDone(!payload.errors.length);
      if (!payload.errors.length) {
        form.reset();
        changed(Object.values(payload).find((v) => v && v.id)?.id);
      }
    } catch (error) {
      onError(error);
    }
  }
  const worded = wordErrors(errors, w);
  return html`<form id=${id} class="form" onSubmit=${submit} aria-labelledby=${`${id}-title`}>
    <h4 id=${`${id}-title`}>${title}</h4>
    ${worded.form && html`<p class="error" role="alert">${worded.form}</p>`}
    ${children(worded)}
    ${done && html`<p role="status" class="ok">${w.saved}</p>`}
    <div class="actions"><button type="submit">${w.save}</button></div>
  </form>`;
}

const text = (form, key) => (form.get(key) || "").trim() || null;

function FormTeam({ user, w, onError, changed }) {
  const read = (f) => ({ input: { name: text(f, "name") || "", communeCode: user.scopeCode,
    geoVersion: user.scopeVersion || "LEGACY", village: text(f, "village"), formedOn: text(f, "formedOn") || "" } });
  return html`<${MutationForm} id="form-team" title=${w.formTeam} query=${FORM_TEAM} name="formTeam"
    read=${read} w=${w} onError=${onError} changed=${changed}>${(errors) => html`
    <${Field} id="ft-name" name="name" label=${w.teamName} errors=${errors}>${(d) => html`
      <input id="ft-name" name="name" required maxlength="200" aria-describedby=${d} />`}<//>
    <${Field} id="ft-village" name="village" label=${w.village} errors=${errors}>${(d) => html`
      <input id="ft-village" name="village" maxlength="200" aria-describedby=${d} />`}<//>
    <${DateField} id="ft-formed" name="formedOn" label=${w.formedOn} required max=${today()}
      error=${errors.formedOn} w=${w} />`}<//>`;
}

function AddMediator({ team, w, onError, changed }) {
  const read = (f) => ({ input: { teamId: team.id, fullName: text(f, "fullName") || "",
    gender: f.get("gender"), yearOfBirth: f.get("yearOfBirth") ? Number(f.get("yearOfBirth")) : null,
    ethnicity: text(f, "ethnicity"), electedOn: text(f, "electedOn"),
    electionShare: f.get("electionShare") ? Number(f.get("electionShare")) / 100 : null } });
  return html`<${MutationForm} id="add-mediator" title=${w.addMediator} query=${ADD} name="addMediator"
    read=${read} w=${w} onError=${onError} changed=${changed}>${(errors) => html`
    <${Field} id="am-name" name="fullName" label=${w.fullName} errors=${errors}>${(d) => html`
      <input id="am-name" name="fullName" required maxlength="200" aria-describedby=${d} />`}<//>
    <${Field} id="am-gender" name="gender" label=${w.gender} errors=${errors}>${(d) => html`
      <select id="am-gender" name="gender" aria-describedby=${d}>
        <option value="FEMALE">${w.genders.FEMALE}</option><option value="MALE">${w.genders.MALE}</option>
      </select>`}<//>
    <${Field} id="am-year" name="yearOfBirth" label=${w.yearOfBirth} errors=${errors}>${(d) => html`
      <input id="am-year" name="yearOfBirth" type="number" min="1900" max="2100" aria-describedby=${d} />`}<//>
    <${Field} id="am-ethnicity" name="ethnicity" label=${w.ethnicity} errors=${errors}>${(d) => html`
      <input id="am-ethnicity" name="ethnicity" maxlength="40" aria-describedby=${d} />`}<//>
    <${DateField} id="am-elected" name="electedOn" label=${w.electedOn} max=${today()}
      error=${errors.electedOn} w=${w} />
    <${Field} id="am-share" name="electionShare" label=${w.electionShare} errors=${errors}>${(d) => html`
      <input id="am-share" name="electionShare" type="number" min="0" max="100" step="0.1" aria-describedby=${d} />`}<//>`}<//>`;
}

function Recognise({ team, w, onError, changed }) {
  const waiting = team.mediators.filter((m) => !m.recognition);
  if (!waiting.length) return null;
  const read = (f) => ({ input: { mediatorId: f.get("mediatorId"), decisionNumber: text(f, "decisionNumber") || "",
    decisionDate: text(f, "decisionDate") || "", issuedBy: text(f, "issuedBy") } });
  return html`<${MutationForm} id="recognise" title=${w.recognise} query=${RECOGNISE} name="recogniseMediator"
    read=${read} w=${w} onError=${onError} changed=${changed}>${(errors) => html`
    <${Field} id="rc-mediator" name="mediatorId" label=${w.mediator} errors=${errors}>${(d) => html`
      <select id="rc-mediator" name="mediatorId" aria-describedby=${d}>
        ${waiting.map((m) => html`<option value=${m.id}>${m.fullName}</option>`)}</select>`}<//>
    <${Field} id="rc-number" name="decisionNumber" label=${w.decisionNumber} errors=${errors}>${(d) => html`
      <input id="rc-number" name="decisionNumber" required maxlength="40" aria-describedby=${d} />`}<//>
    <${DateField} id="rc-date" name="decisionDate" label=${w.decisionDate} required max=${today()}
      error=${errors.decisionDate} w=${w} />
    <${Field} id="rc-by" name="issuedBy" label=${w.issuedBy} errors=${errors}>${(d) => html`
      <input id="rc-by" name="issuedBy" maxlength="200" aria-describedby=${d} />`}<//>`}<//>`;
}

function Elect({ team, w, onError, changed }) {
  if (!team.mediators.length) return null;
  const read = (f) => ({ teamId: team.id, mediatorId: f.get("mediatorId"), electedOn: text(f, "electedOn") });
  return html`<${MutationForm} id="elect" title=${w.electLeader} query=${ELECT} name="electLeader"
    read=${read} w=${w} onError=${onError} changed=${changed}>${(errors) => html`
    <${Field} id="el-mediator" name="mediatorId" label=${w.mediator} errors=${errors}>${(d) => html`
      <select id="el-mediator" name="mediatorId" aria-describedby=${d}>
        ${team.mediators.map((m) => html`<option value=${m.id}>${m.fullName}</option>`)}</select>`}<//>
    <${DateField} id="el-date" name="electedOn" label=${w.electedOn} max=${today()}
      error=${errors.electedOn} w=${w} />`}<//>`;
}
