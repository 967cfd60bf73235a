import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { ApiError, credits, get, headers, millis, readEvents } from "./api.js";

const SETTLED = ["COMPLETED", "FAILED", "CANCELLED", "EXPIRED", "REJECTED"];

/** The bid terms as the door reads them from headers; an empty control sends nothing. */
export function termHeaders(terms) {
  const all = {};
  if (terms.limit) all["X-Archipelago-Limit"] = terms.limit;
  if (terms.jurisdiction) all["X-Archipelago-Jurisdiction"] = terms.jurisdiction;
  if (terms.latency) all["X-Archipelago-Max-Latency-Ms"] = terms.latency;
  if (terms.karma) all["X-Archipelago-Min-Karma"] = terms.karma;
  return all;
}

/** The job's record on the read side, once it has settled there (the read side lags the stream a little). */
export async function settledJob(jobId) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const job = await get(`/jobs/${encodeURIComponent(jobId)}`).catch((failure) => {
      if (failure instanceof ApiError && failure.status === 404) return null;
      throw failure;
    });
    if (job && SETTLED.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return get(`/jobs/${encodeURIComponent(jobId)}`);
}

/** The job's Island, its country, RTT, units and cost, as the read side recorded them. */
export function Meta({ meta }) {
  if (!meta) return null;
  return html`<div class="meta" data-testid="answer-meta">
    <span>Island <b class="island">${meta.islandId || "-"}</b></span>
    <span>country <b class="country">${meta.country || "-"}</b></span>
    <span>RTT <b>${millis(meta.rttMicros)}</b></span>
    <span>units <b>${meta.units ?? "-"}</b></span>
    <span>cost <b>${credits(meta.chargedMicroCredits)}</b></span>
    <span>job ${meta.jobId} (${meta.status})</span>
  </div>`;
}

export function Chat() {
  const [models, setModels] = useState([]);
  const [model, setModel] = useState("");
  const [terms, setTerms] = useState({ limit: "", jurisdiction: "", latency: "", karma: "" });
  const [messages, setMessages] = useState([]);
  const [prompt, setPrompt] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    get("/v1/models").then((list) => {
      setModels(list.data);
      if (list.data.length) setModel(list.data.find((m) => m.id.startsWith("llm."))?.id || list.data[0].id);
    }).catch((failure) => setError(failure.message));
  }, []);

  const term = (name) => (e) => setTerms({ ...terms, [name]: e.target.value.trim() });

  async function send(event) {
    event.preventDefault();
    if (!prompt.trim() || busy) return;
    const history = [...messages, { role: "user", content: prompt }];
    const answer = { role: "assistant", content: "" };
    setMessages([...history, answer]);
    setPrompt("");
    setBusy(true);
    setError("");
    try {
      const response = await fetch("/v1/chat/completions", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json", ...termHeaders(terms) }),
        body: JSON.stringify({ model, stream: true, stream_options: { include_usage: true },
          messages: history.map(({ role, content }) => ({ role, content })) }),
      });
      if (!response.ok) {
        const text = await response.text();
        let body = text;
        try { body = JSON.parse(text); } catch { /* the API's words as they came */ }
        throw new ApiError(response.status, body);
      }
      const jobId = response.headers.get("X-Archipelago-Job-Id");
      let streamError = null;
      await readEvents(response, (name, data) => {
        if (data === "[DONE]") return;
        const chunk = JSON.parse(data);
        if (chunk.error) {
          streamError = new ApiError(response.status, chunk);
          return;
        }
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          answer.content += delta;
          setMessages([...history, { ...answer }]);
        }
      });
      if (jobId) {
        const job = await settledJob(jobId);
        const island = job.islandId ? await get(`/islands/${encodeURIComponent(job.islandId)}`) : null;
        answer.meta = { ...job, country: island?.country };
        setMessages([...history, { ...answer }]);
      }
      if (streamError) throw streamError;
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form onSubmit=${send}>
      <div class="controls" role="group" aria-label="Bid terms">
        <label>Model <select name="model" value=${model} onChange=${(e) => setModel(e.target.value)}>
          ${models.map((m) => html`<option value=${m.id}>${m.id}</option>`)}</select></label>
        <label>Limit price (micro-credits/unit) <input name="limit" inputmode="numeric" value=${terms.limit}
          onInput=${term("limit")} /></label>
        <label>Jurisdiction (EU, CH, DE,NL) <input name="jurisdiction" value=${terms.jurisdiction}
          onInput=${term("jurisdiction")} /></label>
        <label>Latency ceiling (ms) <input name="latency" inputmode="numeric" value=${terms.latency}
          onInput=${term("latency")} /></label>
        <label>Minimum karma <input name="karma" inputmode="numeric" value=${terms.karma}
          onInput=${term("karma")} /></label>
      </div>
      <div class="messages" aria-live="polite">
        ${messages.map((m) => html`<div class=${`message ${m.role}`}>
          <div class="content">${m.content}</div><${Meta} meta=${m.meta} /></div>`)}
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <div class="row">
        <label>Message <textarea name="prompt" rows="3" value=${prompt} onInput=${(e) => setPrompt(e.target.value)}
          onKeyDown=${(e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) send(e); }}></textarea></label>
        <button type="submit" disabled=${busy || !model}>${busy ? "Streaming..." : "Send"}</button>
      </div>
    </form>`;
}
