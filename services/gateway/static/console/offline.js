// Offline intake (ngoại tuyến, đang chờ gửi). A form submitted without a network waits in
// IndexedDB with its idempotency key and its user's name; it is sent, with that key, once
// the browser is online and that user has a live session (after a new login if the old one
// expired). A resend after a lost answer carries the same key, so the API makes one case.
// The service worker (/sw.js) keeps the app shell, so the console opens offline.
import { html, useEffect, useRef, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { Offline, gql } from "/console/api.js";
import { errorText } from "/console/forms.js";
import { formatDate } from "/console/i18n.js";

export const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) {
  case { id status } errors { field code message reason } } }`;
const DB = "hoagiai", STORE = "intake-queue";
const changes = new EventTarget(); // the queue changed: views read it again

function database() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

// One transaction on the queue; resolves with the request's result once it is committed.
async function store(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => { db.close(); resolve(request.result); };
    transaction.onerror = () => { db.close(); reject(transaction.error); };
  });
}

const changed = () => changes.dispatchEvent(new Event("change"));

export async function enqueue(username, input) {
  await store("readwrite", (s) => s.put({ key: input.idempotencyKey, username, input,
    queuedAt: new Date().toISOString(), errors: [] }));
  changed();
}

export async function queued(username) {
  const all = await store("readonly", (s) => s.getAll());
  return all.filter((entry) => entry.username === username);
}

export async function discard(username) {
  for (const entry of await queued(username)) await store("readwrite", (s) => s.delete(entry.key));
  changed();
}

let sending = null; // one sender at a time: the online event and a login may come together

// Send this user's waiting forms; a form the API refuses stays, with the API's errors, until
// the user discards it. SessionExpired goes to the caller (back to login, the queue kept).
export function send(username) {
  if (!sending) sending = sendAll(username).finally(() => { sending = null; });
  return sending;
}

async function sendAll(username) {
  for (const entry of await queued(username)) {
    if (entry.errors.length || !navigator.onLine) continue;
    let result;
    try {
      result = (await gql(SUBMIT, { input: entry.input })).submitCase;
    } catch (error) {
      if (error instanceof Offline) return;
      throw error;
    }
    await store("readwrite", (s) => (result.case ? s.delete(entry.key)
      : s.put({ ...entry, errors: result.errors })));
    changed();
  }
}

// Sends the user's queue now and whenever the browser comes back online.
export function useSender(user, onError) {
  useEffect(() => {
    if (!user) return undefined;
    const go = () => navigator.onLine && send(user.username).catch(onError);
    go();
    addEventListener("online", go);
    return () => removeEventListener("online", go);
  }, [user?.username]);
}

export function useQueue(username) {
  const [entries, setEntries] = useState([]);
  useEffect(() => {
    const read = () => queued(username).then(setEntries, () => setEntries([]));
    read();
    changes.addEventListener("change", read);
    return () => changes.removeEventListener("change", read);
  }, [username]);
  return entries;
}

// Takes one form out of the queue (to edit it in the intake form).
export async function take(key) {
  await store("readwrite", (s) => s.delete(key));
  changed();
}

// The waiting forms, visible: what, since when, and the API's refusal if it refused one;
// a refused form can be opened (`onEdit`) in the intake form, corrected and sent again.
export function Queue({ user, w, onEdit }) {
  const entries = useQueue(user.username);
  if (!entries.length) return null;
  return html`<section id="queue" class="queue" aria-labelledby="queue-title"
      data-count=${entries.length}>
    <h3 id="queue-title">${w.queueTitle} (${entries.length})</h3>
    <p>${navigator.onLine ? w.queueSending : w.queueOffline}</p>
    <ul>${entries.map((entry) => html`<li data-key=${entry.key}>
      ${entry.input.subject} · ${formatDate(entry.queuedAt)}
      ${entry.errors.map((e) => html`<span class="error"> ${errorText(e, w)}</span>`)}
      ${entry.errors.length > 0 && onEdit && html` <button type="button" class="edit"
        data-key=${entry.key} onClick=${() => onEdit(entry)}>${w.queueEdit}</button>`}</li>`)}</ul>
    <button type="button" onClick=${() => discard(user.username)}>${w.queueDiscard}</button>
  </section>`;
}

// Logging out with waiting forms asks whether to keep them for the next login or to
// discard them: personal data is never left in the browser unsaid.
export function LogoutQuestion({ count, w, onKeep, onDiscard, onCancel }) {
  const first = useRef(null);
  useEffect(() => first.current?.focus(), []); // the keyboard lands on the question
  return html`<div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="leave-title"
      aria-describedby="leave-text" id="logout-question">
    <h2 id="leave-title">${w.logout}</h2>
    <p id="leave-text">${w.unsentQuestion.replace("{n}", count)}</p>
    <div class="actions">
      <button type="button" id="keep-unsent" ref=${first} onClick=${onKeep}>${w.keepUnsent}</button>
      <button type="button" id="discard-unsent" onClick=${onDiscard}>${w.discardUnsent}</button>
      <button type="button" onClick=${onCancel}>${w.cancel}</button>
    </div></div>`;
}

// The app shell in a service worker (scope /). Browsers allow one on https or localhost.
export function keepShell() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
