import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { ApiError, get, session } from "./api.js";
import { Chat } from "./chat.js";
import { Playground } from "./playground.js";
import { Markets } from "./markets.js";
import { Host } from "./host.js";
import { Auditor } from "./auditor.js";
import "./app.css";

/** A page whose code is its own chunk, fetched the first time it is shown, so the first page stays small. */
function lazyPage(load) {
  let loaded = null;
  return function LazyPage() {
    const [Page, setPage] = useState(() => loaded);
    const [error, setError] = useState("");
    useEffect(() => {
      if (Page) return;
      load().then((page) => { loaded = page; setPage(() => page); }).catch((failure) => setError(String(failure)));
    }, []);
    if (error) return html`<p class="error" role="alert">${error}</p>`;
    return Page ? html`<${Page} />` : html`<p class="hint">Loading...</p>`;
  };
}

const PAGES = [
  { id: "chat", title: "Chat", page: Chat },
  { id: "images", title: "Images", page: lazyPage(() => import("./images.js").then((module) => module.Images)) },
  { id: "playground", title: "Playground", page: Playground },
  { id: "markets", title: "Markets", page: Markets },
  { id: "host", title: "Host", page: Host },
  { id: "auditor", title: "Auditor", page: Auditor },
];

function currentPage() {
  const id = location.hash.replace(/^#\/?/, "");
  return PAGES.find((page) => page.id === id) || PAGES[0];
}

function SignIn({ onSignedIn }) {
  const [key, setKey] = useState("");
  const [account, setAccount] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      // any call that needs a key proves it; the models list is one every key and the operator may read
      await get("/v1/models", { key });
      session.signIn(key, account.trim());
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <main class="signin">
      <h1>Archipelago</h1>
      <form onSubmit=${submit} aria-label="Sign in">
        <label>API key <input name="key" type="password" autocomplete="off" required value=${key}
          onInput=${(e) => setKey(e.target.value)} /></label>
        <label>Account id (for the host console and balances)
          <input name="account" value=${account} onInput=${(e) => setAccount(e.target.value)} /></label>
        <button type="submit" disabled=${busy}>Sign in</button>
        ${error && html`<p class="error" role="alert">${error}</p>`}
      </form>
      <p class="hint">The key stays in this tab's session storage and is sent only as a bearer header.</p>
    </main>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.key()));
  const [page, setPage] = useState(currentPage());

  useEffect(() => {
    const onHash = () => setPage(currentPage());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  if (!signedIn) {
    return html`<${SignIn} onSignedIn=${() => setSignedIn(true)} />`;
  }
  const Page = page.page;
  return html`
    <header>
      <strong>Archipelago</strong>
      <nav aria-label="Pages">
        ${PAGES.map((p) => html`<a href=${`#/${p.id}`} aria-current=${p.id === page.id ? "page" : undefined}>
          ${p.title}</a>`)}
      </nav>
      <span class="who">${session.account() || "signed in"}</span>
      <button class="link" onClick=${() => { session.signOut(); setSignedIn(false); }}>Sign out</button>
    </header>
    <main id=${`page-${page.id}`}><h1>${page.title}</h1><${Page} /></main>`;
}

render(html`<${App} />`, document.getElementById("app"));
