// Small helpers for the forms of the registry and reports: a labelled field with the API's
// error for it, in words, next to it (the API names fields as the client wrote them: input.fullName,
// mediatorId), and a mutation whose UserErrors become field errors.
import { html } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";

// Runs `query` (its errors selecting `field code message reason`); returns the payload,
// and the errors as the API gives them by field name without "input." (worded when drawn,
// `wordErrors`, so the language switch rewords them).
export async function mutate(query, variables, name) {
  const data = await gql(query, variables);
  const payload = data[name];
  const errors = Object.fromEntries(payload.errors.map((e) =>
    [(e.field || "form").replace(/^input\./, ""), e]));
  return { payload, errors };
}

// Errors by field (as `mutate` gives them) in the console's words (errorText).
export const wordErrors = (errors, w) =>
  Object.fromEntries(Object.entries(errors).map(([field, e]) => [field, errorText(e, w)]));

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
