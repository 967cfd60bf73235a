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

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAY = 24 * 60;

const two = (n) => String(n).padStart(2, "0");
const clock = (minutes) => `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;

/** A window's bounds as weekday and time: an end on a day boundary reads as 24:00 of the day before. */
function bound(minute, isEnd) {
  const day = isEnd && minute > 0 && minute % DAY === 0 ? minute / DAY - 1 : Math.floor(minute / DAY);
  return { day, time: clock(minute - day * DAY) };
}

/** The schedule as the host reads it, weekdays and times in UTC. */
export function describeSchedule(schedule) {
  if (!schedule || schedule.always) return "always available";
  return `${schedule.windows.map(({ startMinute, endMinute }) => {
    const from = bound(startMinute, false);
    const to = bound(endMinute, true);
    return from.day === to.day ? `${DAYS[from.day]} ${from.time}-${to.time}`
      : `${DAYS[from.day]} ${from.time} - ${DAYS[to.day]} ${to.time}`;
  }).join(", ")} UTC`;
}

function toRow({ startMinute, endMinute }) {
  const from = bound(startMinute, false);
  const to = bound(endMinute, true);
  return { fromDay: from.day, from: from.time, toDay: to.day, to: to.time };
}

function minuteOf(day, time) {
  const match = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(time.trim());
  if (!match || (Number(match[1]) === 24 && match[2] !== "00")) {
    throw new Error(`a time is HH:MM from 00:00 to 24:00, got "${time}"`);
  }
  return Number(day) * DAY + Number(match[1]) * 60 + Number(match[2]);
}

const fromRow = (row) => ({ startMinute: minuteOf(row.fromDay, row.from), endMinute: minuteOf(row.toDay, row.to) });

function Schedule({ island, onChanged }) {
  const schedule = island.schedule || { always: true, windows: [] };
  const [editing, setEditing] = useState(false);
  const [always, setAlways] = useState(schedule.always);
  const [rows, setRows] = useState([]);
  const [error, setError] = useState("");
  function edit() {
    setAlways(schedule.always);
    setRows(schedule.windows.map(toRow));
    setError("");
    setEditing(true);
  }
  const change = (index, field, value) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  async function save(event) {
    event.preventDefault();
    setError("");
    try {
      const payload = always ? { always: true } : { windows: rows.map(fromRow) };
      await call("PUT", `/islands/${encodeURIComponent(island.islandId)}/schedule`, payload);
      setEditing(false);
      onChanged();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure.message || failure));
    }
  }
  const day = (index, field, label) => html`<label>${label} <select value=${rows[index][field]}
    onChange=${(e) => change(index, field, Number(e.target.value))}>${DAYS.map((name, n) =>
      html`<option value=${n}>${name}</option>`)}</select></label>`;
  const time = (index, field, label) => html`<label>${label} <input value=${rows[index][field]} size="5"
    placeholder="HH:MM" onInput=${(e) => change(index, field, e.target.value)} /></label>`;
  return html`<h3>Availability schedule</h3>
    <p data-testid=${`schedule-${island.islandId}`}>${describeSchedule(schedule)}</p>
    ${!editing && html`<button type="button" class="secondary" onClick=${edit}>Edit schedule</button>`}
    ${editing && html`<form class="schedule" onSubmit=${save} aria-label="Schedule">
      <label><input type="checkbox" checked=${always} onChange=${(e) => setAlways(e.target.checked)} />
        Always available</label>
      ${!always && rows.map((row, index) => html`<fieldset key=${index}>
        <legend>Window ${index + 1} (UTC)</legend>
        ${day(index, "fromDay", "From day")} ${time(index, "from", "from time")}
        ${day(index, "toDay", "To day")} ${time(index, "to", "to time")}
        <button type="button" class="secondary" onClick=${() => setRows(rows.filter((_, i) => i !== index))}>
          Remove window ${index + 1}</button></fieldset>`)}
      ${!always && html`<button type="button" class="secondary"
        onClick=${() => setRows([...rows, { fromDay: 0, from: "09:00", toDay: 0, to: "17:00" }])}>Add window</button>`}
      <button type="submit">Save schedule</button>
      <button type="button" class="secondary" onClick=${() => setEditing(false)}>Cancel</button>
    </form>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}`;
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
    <${Schedule} island=${island} onChanged=${onChanged} />
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
