// The intake form (tiếp nhận vụ việc). One idempotency key per form: a double click or a
// retry sends the same key, so the API makes one case. The API's field errors
// (`input.parties.1.fullName`) are shown next to the field of the same name. Offline, the
// form waits in the queue (offline.js). The form in progress outlives a session expiry:
// it is kept in this module's memory (never in storage) until the same user is back.
import { html, useEffect, useRef, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { Offline, gql } from "/console/api.js";
import { errorText, today } from "/console/forms.js";
import { Queue, SUBMIT, enqueue, take } from "/console/offline.js";
import { DateField } from "/console/datefield.js";

const TEAMS = `{ teams(first: 100) { edges { node { id name mediators { id fullName } } } } }`;
const TEAMS_KEY = "hoagiai.teams"; // team names for an offline reload; not personal data
let draft = null; // {username, key, form}: the form in progress

export function forgetDraft() {
  draft = null;
}

const CATEGORIES = ["CIVIL_FAMILY", "CONFLICT", "OTHER"];
const CHANNELS = ["IN_PERSON", "PHONE", "REFERRAL", "MEDIATOR_NOTICED", "ONLINE", "OTHER"];

// A date picked in the form: today (Vietnam's) is "now", sent as nothing; an earlier day
// is noon of that day in Vietnam.
function receivedAt(day) {
  return !day || day >= today() ? null : `${day}T12:00:00+07:00`;
}

// Not crypto.randomUUID: that needs a secure context, and a commune's LAN may be plain http.
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "console-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const blankParty = () => ({ fullName: "", address: "", relatedMediatorIds: [] });

async function loadTeams() {
  try {
    const list = (await gql(TEAMS)).teams.edges.map((e) => e.node);
    sessionStorage.setItem(TEAMS_KEY, JSON.stringify(list));
    return list;
  } catch (error) {
    const kept = sessionStorage.getItem(TEAMS_KEY);
    if (error instanceof Offline && kept) return JSON.parse(kept);
    throw error;
  }
}

export function Intake({ user, w, onError }) {
  const mine = draft?.username === user.username ? draft : null;
  const [teams, setTeams] = useState(null);
  const [key, setKey] = useState(() => mine?.key || newKey());
  const [form, setForm] = useState(() => mine?.form || { teamId: "", category: "CIVIL_FAMILY",
    channel: "IN_PERSON", receivedOn: today(), screenOverride: false, subject: "",
    description: "", parties: [blankParty(), blankParty()] });
  const [errors, setErrors] = useState({});
  const [done, setDone] = useState(null);
  const busy = useRef(false); // set at once: a second click may come before the re-render

  useEffect(() => {
    loadTeams().then((list) => {
      setTeams(list);
      setForm((f) => ({ ...f, teamId: f.teamId || list[0]?.id || "" }));
    }, onError);
  }, []);
  useEffect(() => { draft = done ? null : { username: user.username, key, form }; }, [key, form, done]);

  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const mediators = teams?.find((t) => t.id === form.teamId)?.mediators || [];
  const relate = (i, id) => (e) => setForm({ ...form, parties: form.parties.map((p, j) =>
    (j !== i ? p : { ...p, relatedMediatorIds: e.target.checked
      ? [...p.relatedMediatorIds, id] : p.relatedMediatorIds.filter((m) => m !== id) })) });
  const setParty = (i, name) => (e) => setForm({ ...form,
    parties: form.parties.map((p, j) => (j === i ? { ...p, [name]: e.target.value } : p)) });

  async function submit(event) {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    const parties = form.parties.map((p) => ({ fullName: p.fullName, address: p.address || null,
      relatedMediatorIds: p.relatedMediatorIds.filter((id) => mediators.some((m) => m.id === id)) }));
    const { receivedOn, ...fields } = form;
    const input = { ...fields, receivedAt: receivedAt(receivedOn), parties, idempotencyKey: key };
    try {
      if (!navigator.onLine) throw new Offline();
      const result = (await gql(SUBMIT, { input })).submitCase;
      setErrors(fieldErrors(result.errors));
      if (result.case) setDone(result.case);
    } catch (error) {
      if (error instanceof Offline) {
        await enqueue(user.username, input);
        setDone({ queued: true });
      } else {
        onError(error);
      }
    } finally {
      busy.current = false;
    }
  }
  // A queued form the API refused: back in the form, with its key (a refusal stored
  // nothing, so the key is still free) and its errors next to the fields.
  async function edit(entry) {
    const { receivedAt: at, parties, idempotencyKey, ...fields } = entry.input;
    await take(entry.key);
    setKey(idempotencyKey);
    setForm({ ...form, ...fields, receivedOn: at ? at.slice(0, 10) : today(),
      parties: parties.map((p) => ({ ...blankParty(), ...p, address: p.address || "" })) });
    setErrors(fieldErrors(entry.errors));
    setDone(null);
  }
  // by field, as the API gives them; worded when drawn (a language switch rewords them)
  function fieldErrors(errors) {
    return Object.fromEntries(errors.map((e) =>
      [(e.field || "form").replace(/^input\./, "").replace(/^receivedAt$/, "receivedOn"), e]));
  }
  function again() {
    setKey(newKey());
    setForm({ ...form, subject: "", description: "", screenOverride: false,
      parties: [blankParty(), blankParty()] });
    setErrors({});
    setDone(null);
  }

  if (done) {
    return html`<section aria-labelledby="intake-title"><h2 id="intake-title">${w.intake}</h2>
      ${done.queued ? html`<p role="status" id="intake-queued" data-key=${key}>${w.queuedOk}</p>`
        : html`<p role="status" id="intake-done" data-case=${done.id}>${w.received_ok} (${w.status[done.status] || done.status})</p>`}
      <button type="button" onClick=${again}>${w.intakeAgain}</button>
      <${Queue} user=${user} w=${w} onEdit=${edit} /></section>`;
  }
  const error = (name) => errors[name] && html`<span class="error" id=${`error-${name}`}
    role="alert">${errorText(errors[name], w)}</span>`;
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
      <label for="f-channel">${w.channel}</label>
      <select id="f-channel" name="channel" value=${form.channel} onChange=${set("channel")}>
        ${CHANNELS.map((c) => html`<option value=${c}>${w.channels[c]}</option>`)}</select>
      <${DateField} id="f-received" label=${w.receivedOn} required max=${today()} w=${w}
        value=${form.receivedOn} onChange=${(day) => setForm((f) => ({ ...f, receivedOn: day }))}
        error=${errors.receivedOn && errorText(errors.receivedOn, w)} />
      <label for="f-subject">${w.subject}</label>
      <input id="f-subject" name="subject" required maxlength="300" value=${form.subject}
        onInput=${set("subject")} aria-describedby=${described("subject")} />
      ${error("subject")}
      <label for="f-description">${w.description}</label>
      <textarea id="f-description" name="description" required maxlength="10000" rows="4"
        value=${form.description} onInput=${set("description")}
        aria-describedby=${described("description")}></textarea>
      ${error("description")}
      ${(errors.description || form.screenOverride) && html`<label class="check">
        <input type="checkbox" id="f-override" checked=${form.screenOverride}
          onChange=${(e) => setForm({ ...form, screenOverride: e.target.checked })} />
        ${w.screenOverride}</label>`}
      ${form.parties.map((p, i) => html`<fieldset>
        <legend>${w.party} ${i + 1}</legend>
        <label for=${`f-party-${i}`}>${w.fullName}</label>
        <input id=${`f-party-${i}`} required maxlength="200" value=${p.fullName}
          onInput=${setParty(i, "fullName")} />
        ${error(`parties.${i}.fullName`)}
        <label for=${`f-address-${i}`}>${w.address}</label>
        <input id=${`f-address-${i}`} maxlength="300" value=${p.address}
          onInput=${setParty(i, "address")} />
        ${mediators.length > 0 && html`<fieldset class="related">
          <legend>${w.relatedMediators}</legend>
          ${mediators.map((m) => html`<label class="check"><input type="checkbox"
            id=${`f-related-${i}-${m.id}`} checked=${p.relatedMediatorIds.includes(m.id)}
            onChange=${relate(i, m.id)} /> ${m.fullName}</label>`)}</fieldset>`}
      </fieldset>`)}
      ${error("parties")}
      <div class="actions">
        <button type="button" onClick=${() => setForm({ ...form, parties: [...form.parties, blankParty()] })}>
          ${w.addParty}</button>
        <button type="submit" id="intake-submit">${w.submit}</button>
      </div>
    </form>`}
    <${Queue} user=${user} w=${w} onEdit=${edit} /></section>`;
}
