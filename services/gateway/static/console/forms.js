// Small helpers for the forms of the registry and reports: a labelled field with the API's
// error for it next to it (the API names fields as the client wrote them: input.fullName,
// mediatorId), and a mutation whose UserErrors become field errors.
import { html } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";

// Runs `query`; returns the payload, and the errors by field name without "input.".
export async function mutate(query, variables, name) {
  const data = await gql(query, variables);
  const payload = data[name];
  const errors = Object.fromEntries(payload.errors.map((e) =>
    [(e.field || "form").replace(/^input\./, ""), e.message]));
  return { payload, errors };
}

// A label, the control, and the field's error tied to it for screen readers.
export function Field({ id, name, label, errors, children }) {
  const error = errors?.[name];
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${typeof children === "function" ? children(error ? `${id}-error` : undefined) : children}
    ${error && html`<span class="error" id=${`${id}-error`} role="alert">${error}</span>`}
  </div>`;
}

export const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); // Vietnam's date

// An API error in the console's words, for every screen (i18n.js): a refusal's reason,
// else its code on that field (a CONFLICT on mediatorIds is a conflict of interest, on
// input.idempotencyKey a key used twice), else its code; the API's own message (English)
// only when none has words.
export function errorText(error, w) {
  const field = (error.field || "").replace(/^input\./, "");
  return w.refusals?.[error.reason] || w.fieldErrors?.[field]?.[error.code]
    || w.errorCodes?.[error.code] || error.message;
}
