import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { ApiError, call, credits, get } from "./api.js";

const amount = (micro) => credits(Number(micro));

/** The ledger's evidence for an auditor: reads what only the operator may, so it needs the operator's token. */
export function Auditor() {
  const [audit, setAudit] = useState(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get("/ledger/audits/last").then(setAudit).catch((failure) => {
      if (!(failure instanceof ApiError && failure.status === 404)) setError(failure.message);
    });
  }, []);

  async function run() {
    setBusy(true);
    setError("");
    try {
      setAudit(await call("POST", "/ledger/audits"));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <p><button onClick=${run} disabled=${busy}>${busy ? "Replaying the ledger..." : "Run an audit now"}</button></p>
    ${error && html`<p class="error" role="alert">${error}</p>
      <p class="hint">The auditor's view needs the operator's token as the key.</p>`}
    ${!audit && !error && html`<p>No audit has run on this node since it started.</p>`}
    ${audit && html`
      <h2>Last audit</h2>
      <div class="cards">
        <div class="card">result <b data-testid="audit-result">${audit.clean ? "OK" : "FAILED"}</b></div>
        <div class="card">at <b>${audit.at}</b></div>
        <div class="card">events replayed <b>${audit.events}</b></div>
        <div class="card">took <b>${audit.tookMillis} ms</b></div>
      </div>
      ${audit.problems.length > 0 && html`<ul class="error" data-testid="audit-problems">${audit.problems.map((p) => html`<li>${p}</li>`)}</ul>`}
      <h2>Conservation</h2>
      <div class="cards" data-testid="totals">
        <div class="card">deposits <b>${amount(audit.depositsMicroCredits)}</b></div>
        <div class="card">payouts <b>${amount(audit.payoutsMicroCredits)}</b></div>
        <div class="card">sum of all balances <b>${amount(audit.balancesMicroCredits)}</b></div>
        <div class="card">deposits - payouts = balances <b data-testid="conserved">${audit.conserved ? "yes" : "NO"}</b>
        </div>
      </div>
      <h2>Chain head</h2>
      <pre data-testid="chain-head"><div>${audit.links} links verified, head ${audit.chainHead}</div><div>${
        audit.unlinked} events not linked yet</div></pre>
      <h2>Latest signed checkpoint</h2>
      ${audit.latestCheckpoint ? html`<pre>${JSON.stringify(audit.latestCheckpoint, null, 2)}</pre>
        <p>${audit.checkpointsVerified} signatures verified; the latest covers link ${audit.signedLinks}.</p>`
        : html`<p>No checkpoint written yet.</p>`}`}`;
}
