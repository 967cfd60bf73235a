import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { ApiError, get, headers, readEvents } from "./api.js";
import { Meta, settledJob, termHeaders } from "./chat.js";

// The demo's painter makes 16 to 256 pixels a side; another Island's runtime says what it paints, and its refusal
// comes back as the API words it.
const SIZES = ["auto", "16x16", "32x32", "64x64", "128x128", "256x256", "512x512", "1024x1024"];

const png = (b64) => `data:image/png;base64,${b64}`;

/** The bar's words: the stage the Island names and how far it is, in percent of its own count. */
function Progress({ progress }) {
  if (!progress) return null;
  const percent = progress.max > 0 ? Math.round((100 * progress.value) / progress.max) : 0;
  const label = `${progress.stage || "working"} ${percent}%`;
  return html`<div class="progress" data-testid="image-progress">
    <progress id="image-progress" value=${progress.value} max=${progress.max} aria-label=${label}></progress>
    <label for="image-progress" data-testid="image-progress-label">${label}
      <span class="hint"> (${progress.value} of ${progress.max})</span></label>
  </div>`;
}

async function failure(response) {
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* the API's words as they came */ }
  return new ApiError(response.status, body);
}

export function Images() {
  const [models, setModels] = useState([]);
  const [model, setModel] = useState("");
  const [prompt, setPrompt] = useState("");
  const [size, setSize] = useState("128x128");
  const [n, setN] = useState("1");
  const [partials, setPartials] = useState("2");
  const [terms, setTerms] = useState({ limit: "", jurisdiction: "", latency: "", karma: "" });
  const [progress, setProgress] = useState(null);
  const [previews, setPreviews] = useState({});
  const [images, setImages] = useState([]);
  const [meta, setMeta] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    get("/v1/models").then((list) => {
      const painters = list.data.filter((m) => m.id.startsWith("images."));
      const shown = painters.length ? painters : list.data;
      setModels(shown);
      if (shown.length) setModel(shown[0].id);
    }).catch((failed) => setError(failed.message));
  }, []);

  const term = (name) => (e) => setTerms({ ...terms, [name]: e.target.value.trim() });

  async function generate(event) {
    event.preventDefault();
    if (!prompt.trim() || busy) return;
    setBusy(true);
    setError("");
    setProgress(null);
    setPreviews({});
    setImages([]);
    setMeta(null);
    try {
      const response = await fetch("/v1/images/generations", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json", ...termHeaders(terms) }),
        body: JSON.stringify({ model, prompt, size, n: Number(n) || 1, response_format: "b64_json", stream: true,
          partial_images: Number(partials) || 0 }),
      });
      if (!response.ok) throw await failure(response);
      const jobId = response.headers.get("X-Archipelago-Job-Id");
      let streamError = null;
      const made = [];
      await readEvents(response, (name, data) => {
        if (data === "[DONE]") return;
        const chunk = JSON.parse(data);
        if (chunk.error) {
          streamError = new ApiError(response.status, chunk);
        } else if (chunk.type === "progress") {
          setProgress({ value: chunk.value, max: chunk.max, stage: chunk.stage });
        } else if (chunk.type === "image_generation.partial_image") {
          setPreviews((all) => ({ ...all, [chunk.index ?? 0]: chunk }));
        } else if (chunk.type === "image_generation.completed") {
          made.push(chunk);
          setImages([...made]);
        }
      });
      if (jobId) {
        const job = await settledJob(jobId);
        const island = job.islandId ? await get(`/islands/${encodeURIComponent(job.islandId)}`) : null;
        setMeta({ ...job, country: island?.country });
      }
      if (streamError) throw streamError;
    } catch (failed) {
      setError(failed instanceof ApiError ? failed.message : String(failed));
    } finally {
      setBusy(false);
    }
  }

  // a partial image stands in the place of its image until that image is done
  const shownPreviews = Object.entries(previews).filter(([index]) => Number(index) >= images.length);

  return html`
    <form onSubmit=${generate}>
      <div class="controls" role="group" aria-label="Image and bid terms">
        <label>Model <select name="model" value=${model} onChange=${(e) => setModel(e.target.value)}>
          ${models.map((m) => html`<option value=${m.id}>${m.id}</option>`)}</select></label>
        <label>Size <select name="size" value=${size} onChange=${(e) => setSize(e.target.value)}>
          ${SIZES.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
        <label>Images (n) <input name="n" type="number" min="1" max="10" value=${n}
          onInput=${(e) => setN(e.target.value)} /></label>
        <label>Partial images <input name="partial_images" type="number" min="0" max="3" value=${partials}
          onInput=${(e) => setPartials(e.target.value)} /></label>
        <label>Limit price (micro-credits/image) <input name="limit" inputmode="numeric" value=${terms.limit}
          onInput=${term("limit")} /></label>
        <label>Jurisdiction (EU, CH, DE,NL) <input name="jurisdiction" value=${terms.jurisdiction}
          onInput=${term("jurisdiction")} /></label>
        <label>Latency ceiling (ms) <input name="latency" inputmode="numeric" value=${terms.latency}
          onInput=${term("latency")} /></label>
        <label>Minimum karma <input name="karma" inputmode="numeric" value=${terms.karma}
          onInput=${term("karma")} /></label>
      </div>
      <div class="row">
        <label>Prompt <textarea name="prompt" rows="3" value=${prompt} onInput=${(e) => setPrompt(e.target.value)}
          onKeyDown=${(e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) generate(e); }}></textarea></label>
        <button type="submit" disabled=${busy || !model}>${busy ? "Generating..." : "Generate"}</button>
      </div>
    </form>
    <section aria-label="Result" aria-live="polite">
      <${Progress} progress=${progress} />
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <div class="images">
        ${images.map((image, index) => html`<figure data-testid="image">
          <img src=${png(image.b64_json)} alt=${`image ${index + 1}: ${prompt}`} />
          <figcaption>${image.size} <span class="hint">sha256 ${image.sha256?.slice(0, 12)}</span></figcaption>
        </figure>`)}
        ${shownPreviews.map(([index, partial]) => html`<figure data-testid="partial-image">
          <img src=${png(partial.b64_json)}
            alt=${`image ${Number(index) + 1}, partial ${partial.partial_image_index + 1}`} />
          <figcaption>partial ${partial.partial_image_index + 1}</figcaption>
        </figure>`)}
      </div>
      <${Meta} meta=${meta} />
    </section>`;
}
