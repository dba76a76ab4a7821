// Files the API gives as `{ filename contentType contentBase64 }` (the log book, the 0403
// report), saved by the browser from a blob: nothing but /graphql is asked.
import { html, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";

export const LOG_BOOK = `query($team: ID!, $year: Int!, $format: FileFormat) {
  file: logBook(teamId: $team, year: $year, format: $format) { filename contentType contentBase64 } }`;
export const REPORT_FILE = `query($unit: String!, $year: Int!, $geo: GeoVersion, $format: FileFormat) {
  file: reportFile(unitCode: $unit, year: $year, geoVersion: $geo, format: $format) {
    filename contentType contentBase64 } }`;

export function saveFile({ filename, contentType, contentBase64 }) {
  const bytes = Uint8Array.from(atob(contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Download({ id, label, query, variables, onError }) {
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      saveFile((await gql(query, variables)).file);
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  }
  return html`<button type="button" id=${id} disabled=${busy} onClick=${download}>${label}</button>`;
}
