import { useState } from "preact/hooks";
import { html } from "./html.js";
import { headers, session } from "./api.js";

const PRESETS = [
  { method: "GET", path: "/v1/models" },
  { method: "POST", path: "/v1/chat/completions",
    body: { model: "llm.chat.demo", messages: [{ role: "user", content: "hello islands" }] } },
  { method: "POST", path: "/v1/chat/completions",
    body: { model: "llm.chat.demo", stream: true, messages: [{ role: "user", content: "hello islands" }] } },
  { method: "POST", path: "/v1/embeddings", body: { model: "embeddings.minilm", input: ["a", "b"] } },
  { method: "POST", path: "/v1/quotes",
    body: { model: "llm.chat.demo", messages: [{ role: "user", content: "hello islands" }] } },
];

const origin = () => location.origin;

/** The same request as the official clients make it. */
function snippets(method, path, text) {
  const body = text.trim() ? text.trim() : null;
  const curl = `curl -X ${method} ${origin()}${path} \\\n  -H "Authorization: Bearer $ARCHIPELAGO_KEY"`
    + (body ? ` \\\n  -H 'Content-Type: application/json' \\\n  -d '${body.replace(/'/g, "'\\''")}'` : "");
  const route = path.replace(/^\/v1/, "");
  let parsed = null;
  try { parsed = body ? JSON.parse(body) : null; } catch { /* shown as typed */ }
  const js = [`import OpenAI from "openai";`,
    `const client = new OpenAI({ baseURL: "${origin()}/v1", apiKey: process.env.ARCHIPELAGO_KEY });`];
  const py = ["from openai import OpenAI", "import os",
    `client = OpenAI(base_url="${origin()}/v1", api_key=os.environ["ARCHIPELAGO_KEY"])`];
  const json = parsed ? JSON.stringify(parsed, null, 2) : "{}";
  const pyJson = json.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False").replace(/\bnull\b/g, "None");
  if (route === "/chat/completions" && method === "POST") {
    js.push(`const answer = await client.chat.completions.create(${json});`);
    js.push(parsed?.stream ? "for await (const chunk of answer) process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");"
      : "console.log(answer.choices[0].message.content);");
    py.push(`answer = client.chat.completions.create(**${pyJson})`);
    py.push(parsed?.stream ? "for chunk in answer:\n    print(chunk.choices[0].delta.content or \"\", end=\"\")"
      : "print(answer.choices[0].message.content)");
  } else if (route === "/embeddings" && method === "POST") {
    js.push(`const { data } = await client.embeddings.create(${json});`, "console.log(data.length);");
    py.push(`answer = client.embeddings.create(**${pyJson})`, "print(len(answer.data))");
  } else if (route === "/models" && method === "GET") {
    js.push("for await (const model of client.models.list()) console.log(model.id);");
    py.push("for model in client.models.list():\n    print(model.id)");
  } else {
    const verb = method.toLowerCase();
    js.push(`console.log(await client.${verb}("${route}"${parsed ? `, { body: ${json} }` : ""}));`);
    py.push(`print(client.${verb}("${route}"${parsed ? `, body=${pyJson}` : ""}, cast_to=object))`);
  }
  return { curl, python: py.join("\n"), javascript: js.join("\n") };
}

export function Playground() {
  const [method, setMethod] = useState("POST");
  const [path, setPath] = useState("/v1/chat/completions");
  const [text, setText] = useState(JSON.stringify(PRESETS[1].body, null, 2));
  const [response, setResponse] = useState(null);
  const [busy, setBusy] = useState(false);

  function preset(index) {
    const chosen = PRESETS[index];
    setMethod(chosen.method);
    setPath(chosen.path);
    setText(chosen.body ? JSON.stringify(chosen.body, null, 2) : "");
  }

  async function send(event) {
    event.preventDefault();
    setBusy(true);
    try {
      const init = { method, headers: headers(text.trim() && method !== "GET" ? { "Content-Type": "application/json" }
        : {}) };
      if (text.trim() && method !== "GET") init.body = text;
      const answer = await fetch(path, init);
      const raw = await answer.text();
      let shown = raw;
      try { shown = JSON.stringify(JSON.parse(raw), null, 2); } catch { /* a stream, or text */ }
      setResponse({ status: answer.status, statusText: answer.statusText, body: shown });
    } catch (failure) {
      setResponse({ status: 0, statusText: "network error", body: String(failure) });
    } finally {
      setBusy(false);
    }
  }

  const code = snippets(method, path, text);
  return html`
    <form onSubmit=${send}>
      <div class="controls">
        <label>Example <select onChange=${(e) => preset(Number(e.target.value))}>
          ${PRESETS.map((p, i) => html`<option value=${i} selected=${i === 1}>${p.method} ${p.path}
            ${p.body?.stream ? "(stream)" : ""}</option>`)}</select></label>
        <label>Method <select name="method" value=${method} onChange=${(e) => setMethod(e.target.value)}>
          ${["GET", "POST", "PUT", "DELETE"].map((m) => html`<option>${m}</option>`)}</select></label>
        <label>Path <input name="path" value=${path} onInput=${(e) => setPath(e.target.value)}
          pattern="/v1/.*" title="a /v1 endpoint" /></label>
      </div>
      <label>Request body <textarea name="body" rows="10" value=${text}
        onInput=${(e) => setText(e.target.value)}></textarea></label>
      <p><button type="submit" disabled=${busy || !session.key()}>Send</button></p>
    </form>
    <div class="split">
      <section aria-label="Response"><h2>Response ${response && html`<span data-testid="status">
        ${response.status} ${response.statusText}</span>`}</h2><pre data-testid="response">${response?.body || ""}</pre>
      </section>
      <section aria-label="Code"><h2>curl</h2><pre>${code.curl}</pre><h2>Python (openai)</h2>
        <pre>${code.python}</pre><h2>JavaScript (openai)</h2><pre>${code.javascript}</pre></section>
    </div>`;
}
