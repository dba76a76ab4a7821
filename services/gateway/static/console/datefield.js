// The console's one date field. A native <input type=date> shows the browser's own date
// format; this field shows and takes dd/mm/yyyy whatever the browser, gives the form ISO
// dates (yyyy-mm-dd: the `onChange` value, and a hidden input named `name` for forms read
// with FormData), and says what is wrong with a date next to the field in the console's
// language: on leaving the field, and when the form is submitted (the browser then does
// not submit it: the field's custom validity holds the same words). Keyboard: type the
// date (5/7/2025, 05-07-2025 and 05072025 are taken too); ↑ and ↓ move it by one day.
import { html, useEffect, useLayoutEffect, useRef, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { today } from "/console/forms.js";

const SEPARATED = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/;
const DIGITS = /^(\d{2})(\d{2})(\d{4})$/;

// "05/07/2025" (or 5/7/2025, 05.07.2025, 05072025) → "2025-07-05"; null if no such day.
export function parseDate(text) {
  const found = SEPARATED.exec(text.trim()) || DIGITS.exec(text.trim());
  if (!found) return null;
  const [day, month, year] = found.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

// "2025-07-05" → "05/07/2025"; "" for anything else.
export function showDate(iso) {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return found ? `${found[3]}/${found[2]}/${found[1]}` : "";
}

const addDays = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 864e5)
  .toISOString().slice(0, 10);

// What is wrong with the text typed, in the console's words; "" if nothing.
export function dateProblem(text, { required = false, max } = {}, w) {
  if (!text.trim()) return required ? w.dateMissing : "";
  const iso = parseDate(text);
  if (!iso) return w.dateInvalid;
  if (max && iso > max) return w.dateAfterMax.replace("{date}", showDate(max));
  return "";
}

// `value` and `max` are ISO dates; `error` is the API's error for the field, in words.
export function DateField({ id, name, label, value = "", onChange, required = false, max, error, w }) {
  const [text, setText] = useState(() => showDate(value));
  const [shown, setShown] = useState(false); // own error shown: after leaving the field or a submit
  const input = useRef(null);
  const emitted = useRef(value);
  const latest = useRef(text); // the text as typed, ahead of the next render (key repeat)
  const write = (next) => { latest.current = next; setText(next); };
  const iso = parseDate(text);
  const problem = dateProblem(text, { required, max }, w);

  useEffect(() => { // a value set from outside (a queued form opened again)
    if (value === emitted.current) return;
    emitted.current = value;
    write(showDate(value));
    setShown(false);
  }, [value]);
  useLayoutEffect(() => { input.current.setCustomValidity(problem); }, [problem]);
  useEffect(() => { // the form reset (form.reset() after a save): back to the value given
    const form = input.current.form;
    const reset = () => { write(showDate(value)); setShown(false); };
    form?.addEventListener("reset", reset);
    return () => form?.removeEventListener("reset", reset);
  }, [value]);

  function change(next) {
    write(next);
    const nextIso = parseDate(next) || "";
    if (nextIso !== emitted.current) {
      emitted.current = nextIso;
      onChange?.(nextIso);
    }
  }
  function keyDown(event) {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    event.preventDefault();
    const from = parseDate(latest.current);
    let next = from ? addDays(from, event.key === "ArrowUp" ? 1 : -1) : today();
    if (max && next > max) next = max;
    change(showDate(next));
  }
  function blur(event) {
    if (iso) write(showDate(iso)); // 5/7/2025 → 05/07/2025
    // Left for the form's submit button: the submit shows the error (`invalid`). Shown
    // here, it would move the button under the pointer between press and release.
    const to = event.relatedTarget;
    if (text.trim() && !(to?.type === "submit" && to.form === event.target.form)) setShown(true);
  }
  function invalid(event) { // the form was submitted with this field wrong
    event.preventDefault(); // our words next to the field, not the browser's bubble
    setShown(true);
    const first = event.target.form?.querySelector("input:invalid, select:invalid, textarea:invalid");
    if (first === event.target) event.target.focus();
  }

  const message = (shown && problem) || error;
  const hint = `${id}-hint`;
  return html`<div class="field date-field">
    <label for=${id}>${label}</label>
    <small class="hint" id=${hint}>${w.dateHint}</small>
    <input id=${id} ref=${input} type="text" inputmode="numeric" autocomplete="off" maxlength="10"
      value=${text} required=${required} aria-invalid=${message ? "true" : undefined}
      aria-describedby=${message ? `${hint} ${id}-error` : hint}
      onInput=${(e) => change(e.target.value)} onKeyDown=${keyDown} onBlur=${blur}
      onInvalid=${invalid} />
    ${name && html`<input type="hidden" name=${name} value=${iso || ""} />`}
    ${message && html`<span class="error" id=${`${id}-error`} role="alert">${message}</span>`}
  </div>`;
}
