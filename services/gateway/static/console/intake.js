// The intake form (tiếp nhận vụ việc). One idempotency key per form: a double click or a
// retry sends the same key, so the API makes one case. The API's field errors
// (`input.parties.1.fullName`) are shown next to the field of the same name.
import { html, useEffect, useRef, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";

const TEAMS = `{ teams(first: 100) { edges { node { id name } } } }`;
const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) {
  case { id status } errors { field code message } } }`;
const CATEGORIES = ["CIVIL_FAMILY", "CONFLICT", "OTHER"];

// Not crypto.randomUUID: that needs a secure context, and a commune's LAN may be plain http.
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "console-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const blankParty = () => ({ fullName: "", address: "" });

export function Intake({ w, onError }) {
  const [teams, setTeams] = useState(null);
  const [key, setKey] = useState(newKey);
  const [form, setForm] = useState({ teamId: "", category: "CIVIL_FAMILY", subject: "",
    description: "", parties: [blankParty(), blankParty()] });
  const [errors, setErrors] = useState({});
  const [done, setDone] = useState(null);
  const busy = useRef(false); // set at once: a second click may come before the re-render

  useEffect(() => {
    gql(TEAMS).then((d) => {
      const list = d.teams.edges.map((e) => e.node);
      setTeams(list);
      setForm((f) => ({ ...f, teamId: f.teamId || list[0]?.id || "" }));
    }, onError);
  }, []);

  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const setParty = (i, name) => (e) => setForm({ ...form,
    parties: form.parties.map((p, j) => (j === i ? { ...p, [name]: e.target.value } : p)) });

  async function submit(event) {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    const parties = form.parties.map((p) => ({ fullName: p.fullName, address: p.address || null }));
    try {
      const data = await gql(SUBMIT, { input: { ...form, parties, idempotencyKey: key } });
      const result = data.submitCase;
      setErrors(Object.fromEntries(result.errors.map((e) =>
        [(e.field || "form").replace(/^input\./, ""), e.message])));
      if (result.case) setDone(result.case);
    } catch (error) {
      onError(error);
    } finally {
      busy.current = false;
    }
  }
  function again() {
    setKey(newKey());
    setForm({ ...form, subject: "", description: "", parties: [blankParty(), blankParty()] });
    setErrors({});
    setDone(null);
  }

  if (done) {
    return html`<section aria-labelledby="intake-title"><h2 id="intake-title">${w.intake}</h2>
      <p role="status" id="intake-done" data-case=${done.id}>${w.received_ok} (${w.status[done.status] || done.status})</p>
      <button type="button" onClick=${again}>${w.intakeAgain}</button></section>`;
  }
  const error = (name) => errors[name] && html`<span class="error" id=${`error-${name}`}
    role="alert">${errors[name]}</span>`;
  const described = (name) => (errors[name] ? `error-${name}` : undefined);
  return html`<section aria-labelledby="intake-title"><h2 id="intake-title">${w.intake}</h2>
    ${teams === null ? html`<p role="status">${w.loading}</p>` : html`
    <form id="intake" class="form" onSubmit=${submit} data-key=${key}>
      ${error("form")}
      <label for="f-team">${w.team}</label>
      <select id="f-team" name="teamId" required value=${form.teamId} onChange=${set("teamId")}
        aria-describedby=${described("teamId")}>
        ${teams.map((t) => html`<option value=${t.id}>${t.name}</option>`)}</select>
      ${error("teamId")}
      <label for="f-category">${w.category}</label>
      <select id="f-category" name="category" value=${form.category} onChange=${set("category")}>
        ${CATEGORIES.map((c) => html`<option value=${c}>${w.categories[c]}</option>`)}</select>
      <label for="f-subject">${w.subject}</label>
      <input id="f-subject" name="subject" required maxlength="300" value=${form.subject}
        onInput=${set("subject")} aria-describedby=${described("subject")} />
      ${error("subject")}
      <label for="f-description">${w.description}</label>
      <textarea id="f-description" name="description" required maxlength="10000" rows="4"
        value=${form.description} onInput=${set("description")}
        aria-describedby=${described("description")}></textarea>
      ${error("description")}
      ${form.parties.map((p, i) => html`<fieldset>
        <legend>${w.party} ${i + 1}</legend>
        <label for=${`f-party-${i}`}>${w.fullName}</label>
        <input id=${`f-party-${i}`} required maxlength="200" value=${p.fullName}
          onInput=${setParty(i, "fullName")} />
        ${error(`parties.${i}.fullName`)}
        <label for=${`f-address-${i}`}>${w.address}</label>
        <input id=${`f-address-${i}`} maxlength="300" value=${p.address}
          onInput=${setParty(i, "address")} />
      </fieldset>`)}
      ${error("parties")}
      <div class="actions">
        <button type="button" onClick=${() => setForm({ ...form, parties: [...form.parties, blankParty()] })}>
          ${w.addParty}</button>
        <button type="submit" id="intake-submit">${w.submit}</button>
      </div>
    </form>`}</section>`;
}
