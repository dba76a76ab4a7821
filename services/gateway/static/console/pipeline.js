// While reporting has not yet applied every event (after a first load, a rebuild, a
// backlog), the figures on screen are partial: the API's `pipeline` says so, and this
// notice tells the user until it has caught up, then asks its screen to load again.
import { html, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { gql } from "/console/api.js";
import { formatNumber } from "/console/i18n.js";

const PIPELINE = "query { pipeline { caughtUp pendingEvents } }";
const POLL_MS = 5000;

export function PipelineNotice({ w, onCaughtUp }) {
  const [state, setState] = useState(null);
  useEffect(() => {
    let live = true;
    let timer;
    let behind = false;
    const poll = () => gql(PIPELINE).then(({ pipeline }) => {
      if (!live) return;
      setState(pipeline);
      if (!pipeline.caughtUp) {
        behind = true;
        timer = setTimeout(poll, POLL_MS);
      } else if (behind && onCaughtUp) onCaughtUp();
    }, () => {}); // advisory: offline or refused, the screen shows its own errors
    poll();
    return () => { live = false; clearTimeout(timer); };
  }, []);
  if (!state || state.caughtUp) return null;
  return html`<p class="notice" role="status" id="pipeline-notice"
    data-pending=${state.pendingEvents}>${w.figuresBuilding}
    ${" "}(${w.pendingEvents}: ${formatNumber(state.pendingEvents)})</p>`;
}
