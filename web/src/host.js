import { useEffect, useState } from "preact/hooks";
import { html } from "./html.js";
import { ApiError, call, credits, get, millis, session } from "./api.js";
import { useMarketFeed } from "./feed.js";

function Ask({ ask, market, onChanged }) {
  const [price, setPrice] = useState(String(ask.priceMicroCredits));
  const [error, setError] = useState("");
  const path = `/markets/${encodeURIComponent(ask.cargo)}/asks/${encodeURIComponent(ask.islandId)}`;
  async function act(method, payload) {
    setError("");
    try {
      await call(method, path, payload);
      onChanged();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  }
  return html`<tr data-testid=${`ask-${ask.islandId}-${ask.cargo}`}>
    <td>${ask.cargo}</td><td>${credits(ask.priceMicroCredits)}</td>
    <td data-testid="market-best-ask">${credits(market?.bestAskMicroCredits)}</td>
    <td><form onSubmit=${(e) => { e.preventDefault(); act("PUT", { priceMicroCredits: Number(price) }); }}>
      <label>New price (micro-credits) <input name="price" inputmode="numeric" value=${price}
        onInput=${(e) => setPrice(e.target.value)} /></label>
      <button type="submit">Reprice</button>
      <button type="button" class="secondary" onClick=${() => act("DELETE")}>Withdraw</button>
    </form>${error && html`<p class="error" role="alert">${error}</p>`}</td></tr>`;
}

function Island({ own, markets, onChanged }) {
  const { island, asks } = own;
  const [karma, setKarma] = useState([]);
  useEffect(() => {
    get(`/islands/${encodeURIComponent(island.islandId)}/karma?limit=20&offset=0`)
      .then((page) => setKarma(page.items)).catch(() => setKarma([]));
  }, [island.islandId, island.karma]);
  return html`<section class="card" aria-label=${`Island ${island.islandId}`}>
    <h2>${island.islandId}</h2>
    <div class="meta"><span>${island.online ? "online" : "offline"}</span><span>country ${island.country}</span>
      <span>RTT ${millis(island.rttMicros)}</span><span>karma <b>${island.karma}</b></span>
      <span>slots ${island.slots}</span><span>${island.verified ? "verified" : "not verified"}</span>
      <span>Cargo types ${island.cargoTypes.join(", ")}</span></div>
    <p class="hint">Availability schedule: set when the Island registers; the read side does not hold it yet.</p>
    <h3>Asks</h3>
    <div class="table-wrap"><table><thead><tr><th>market</th><th>my ask</th><th>market best ask</th><th></th></tr>
    </thead><tbody>${asks.map((ask) => html`<${Ask} key=${ask.cargo} ask=${ask} market=${markets[ask.cargo]}
      onChanged=${onChanged} />`)}</tbody></table></div>
    <h3>Karma history</h3>
    <div class="table-wrap"><table><thead><tr><th>at</th><th>from</th><th>to</th><th>reason</th><th>job</th></tr>
    </thead><tbody>${karma.map((change) => html`<tr><td>${change.at}</td><td>${change.previous}</td>
      <td>${change.current}</td><td>${change.reason}</td><td>${change.jobId || ""}</td></tr>`)}</tbody></table></div>
  </section>`;
}

export function Host() {
  const account = session.account();
  const { markets } = useMarketFeed();
  const [islands, setIslands] = useState([]);
  const [balance, setBalance] = useState(null);
  const [payouts, setPayouts] = useState([]);
  const [error, setError] = useState("");
  const [version, setVersion] = useState(0);
  const feedVersion = Object.values(markets).map((m) => m.updatedAt).join();

  useEffect(() => {
    if (!account) return;
    const base = `/accounts/${encodeURIComponent(account)}`;
    Promise.all([get(`${base}/islands`), get(`${base}/balance`).catch(() => null), get(`${base}/payouts`)])
      .then(([own, money, paid]) => { setIslands(own); setBalance(money); setPayouts(paid.items); setError(""); })
      .catch((failure) => setError(failure.message));
  }, [account, version, feedVersion]);

  if (!account) return html`<p>Sign in with your account id to see your Islands.</p>`;
  return html`
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="cards">
      <div class="card">earnings <b data-testid="earnings">${credits(balance?.earningsMicroCredits)}</b></div>
      <div class="card">payouts in flight <b>${credits(balance?.payoutsInFlightMicroCredits)}</b></div>
      <div class="card">available <b>${credits(balance?.availableMicroCredits)}</b></div>
    </div>
    ${islands.length === 0 && html`<p>No Island is registered to ${account}.</p>`}
    ${islands.map((own) => html`<${Island} key=${own.island.islandId} own=${own} markets=${markets}
      onChanged=${() => setVersion(version + 1)} />`)}
    <h2>Payouts</h2>
    <div class="table-wrap"><table><thead><tr><th>payout</th><th>amount</th><th>status</th><th>requested</th>
      <th>paid</th></tr></thead><tbody>${payouts.map((p) => html`<tr><td>${p.payoutId}</td>
      <td>${credits(p.amountMicroCredits)}</td><td>${p.status}</td><td>${p.requestedAt}</td><td>${p.paidAt || ""}</td>
    </tr>`)}</tbody></table></div>`;
}
