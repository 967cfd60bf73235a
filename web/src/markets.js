import { useEffect, useRef, useState } from "preact/hooks";
import { CandlestickSeries, HistogramSeries, LineSeries, createChart } from "lightweight-charts";
import { html } from "./html.js";
import { credits, get, millis } from "./api.js";
import { useMarketFeed } from "./feed.js";

const seconds = (instant) => Math.floor(Date.parse(instant) / 1000);

/** Candles and volume of one market, and its cleared rate as the feed reported it. */
function PriceChart({ candles, rates }) {
  const box = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    const made = createChart(box.current, { autoSize: true, layout: { attributionLogo: false },
      timeScale: { timeVisible: true } });
    chart.current = {
      made,
      candles: made.addSeries(CandlestickSeries, { title: "trade price" }),
      volume: made.addSeries(HistogramSeries, { priceScaleId: "volume", title: "volume" }),
      rate: made.addSeries(LineSeries, { color: "#f0a500", title: "cleared rate" }),
    };
    made.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    return () => made.remove();
  }, []);
  useEffect(() => {
    const series = chart.current;
    series.candles.setData(candles.map((c) => ({ time: seconds(c.start), open: c.open, high: c.high, low: c.low,
      close: c.close })));
    series.volume.setData(candles.map((c) => ({ time: seconds(c.start), value: c.volumeUnits })));
    series.rate.setData(rates);
    if (candles.length) series.made.timeScale().fitContent();
  }, [candles, rates]);
  return html`<div class="chart" ref=${box} data-testid="price-chart" data-candles=${candles.length}
    data-rates=${rates.length}
    role="img" aria-label=${`${candles.length} one-minute candles`}></div>`;
}

function Depth({ depth }) {
  if (!depth) return null;
  const rows = Math.max(depth.bids.length, depth.asks.length);
  return html`<div class="table-wrap"><table aria-label="Order book depth">
    <thead><tr><th>bids (orders)</th><th>bid price</th><th>ask price</th><th>asks (orders)</th></tr></thead>
    <tbody>${Array.from({ length: rows }, (_, i) => html`<tr>
      <td>${depth.bids[i]?.orders ?? ""}</td><td>${depth.bids[i] ? credits(depth.bids[i].priceMicroCredits) : ""}</td>
      <td>${depth.asks[i] ? credits(depth.asks[i].priceMicroCredits) : ""}</td><td>${depth.asks[i]?.orders ?? ""}</td>
    </tr>`)}</tbody></table></div>`;
}

const percent = (rate) => (rate === null || rate === undefined ? "-" : `${(rate * 100).toFixed(1)}%`);

/**
 * The signed-in account's inference cache (GET /cache/stats): hits by tier, misses, bypasses, hit rate and the
 * credits the cache saved; read when the page opens and again with each market change the feed pushes.
 */
function CacheStats({ refresh }) {
  const [stats, setStats] = useState(null);
  const [error, setError] = useState("");
  useEffect(() => {
    get("/cache/stats").then((found) => { setStats(found); setError(""); })
      .catch((failure) => setError(failure.message));
  }, [refresh]);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!stats) return null;
  return html`<div class="cards" data-testid="cache-stats">
    <div class="card">exact hits <b data-testid="cache-exact">${stats.hits.exact}</b></div>
    <div class="card">semantic hits <b data-testid="cache-semantic">${stats.hits.semantic}</b></div>
    <div class="card">misses <b data-testid="cache-misses">${stats.misses}</b></div>
    <div class="card">bypasses <b data-testid="cache-bypasses">${stats.bypasses}</b></div>
    <div class="card">hit rate <b data-testid="cache-hit-rate">${percent(stats.hit_rate.total)}</b></div>
    <div class="card">saved <b data-testid="cache-saved">${credits(stats.saved_micro_credits)}</b></div>
    <div class="card">answers kept <b>${stats.entries}</b></div>
  </div>`;
}

function byCountry(islands) {
  const groups = {};
  for (const island of islands) (groups[island.country] ||= []).push(island);
  return Object.entries(groups).sort(([a], [b]) => a.localeCompare(b));
}

export function Markets() {
  const { markets, islands, error } = useMarketFeed();
  const [cargo, setCargo] = useState("");
  const [candles, setCandles] = useState([]);
  const [depth, setDepth] = useState(null);
  const [rates, setRates] = useState([]);
  const [loadError, setLoadError] = useState("");
  const market = markets[cargo];

  useEffect(() => {
    // the busiest market first
    const all = Object.values(markets).sort((a, b) => b.trades - a.trades || a.cargo.localeCompare(b.cargo));
    if (!cargo && all.length) setCargo(all[0].cargo);
  }, [markets]);

  // each change the feed pushes for this market brings its candles and depth again
  useEffect(() => {
    if (!market) return;
    const path = `/markets/${encodeURIComponent(cargo)}`;
    Promise.all([get(`${path}/candles?resolution=1m&limit=500`), get(`${path}/depth`)])
      .then(([page, book]) => { setCandles(page.items); setDepth(book); setLoadError(""); })
      .catch((failure) => setLoadError(failure.message));
    if (market.lastRateMicroCredits !== null && market.rateClearedAt) {
      const point = { time: seconds(market.rateClearedAt), value: market.lastRateMicroCredits };
      setRates((all) => (all.length && all[all.length - 1].time >= point.time ? all : [...all, point]));
    }
  }, [cargo, market?.updatedAt]);

  // the rate over time from the read side's history; the feed then adds each rate as it is cleared
  useEffect(() => {
    setRates([]);
    if (!cargo) return;
    get(`/markets/${encodeURIComponent(cargo)}/rates?from=${new Date(Date.now() - 86_400_000).toISOString()}&limit=1000`)
      .then((page) => {
        const history = page.items.filter((r) => r.rateMicroCredits !== null)
          .map((r) => ({ time: seconds(r.clearedAt), value: r.rateMicroCredits }))
          .filter((point, i, all) => i === 0 || point.time > all[i - 1].time);
        setRates((live) => {
          const last = history.length ? history[history.length - 1].time : -1;
          return [...history, ...live.filter((point) => point.time > last)];
        });
      })
      .catch((failure) => setLoadError(failure.message));
  }, [cargo]);

  return html`
    ${(error || loadError) && html`<p class="error" role="alert">${error || loadError}</p>`}
    <label>Market <select name="cargo" value=${cargo} onChange=${(e) => setCargo(e.target.value)}>
      ${Object.keys(markets).sort().map((name) => html`<option value=${name}>${name}</option>`)}</select></label>
    ${market && html`
      <div class="cards" data-testid="market-cards">
        <div class="card">rate <b data-testid="rate">${credits(market.lastRateMicroCredits)}</b></div>
        <div class="card">best bid <b data-testid="best-bid">${credits(market.bestBidMicroCredits)}</b></div>
        <div class="card">best ask <b data-testid="best-ask">${credits(market.bestAskMicroCredits)}</b></div>
        <div class="card">volume <b data-testid="volume">${market.volumeUnits} ${market.unit}</b></div>
        <div class="card">trades <b>${market.trades}</b></div>
        <div class="card">asks online <b>${market.onlineAsks} / ${market.asks}</b></div>
      </div>
      <h2>Trade price candles, volume and cleared rate (1m, micro-credits per unit)</h2>
      <${PriceChart} candles=${candles} rates=${rates} />
      <h2>Depth</h2>
      <${Depth} depth=${depth} />`}
    <h2>Karma leaderboard</h2>
    <div class="table-wrap"><table aria-label="Karma leaderboard" data-testid="leaderboard">
      <thead><tr><th>#</th><th>Island</th><th>karma</th><th>country</th><th>online</th><th>RTT</th></tr></thead>
      <tbody>${islands.map((island, i) => html`<tr><td>${i + 1}</td><td>${island.islandId}</td><td>${island.karma}</td>
        <td>${island.country}</td><td>${island.online ? "yes" : "no"}</td><td>${millis(island.rttMicros)}</td></tr>`)}
      </tbody></table></div>
    <h2>Inference cache</h2>
    <${CacheStats} refresh=${Object.values(markets).map((m) => m.updatedAt).join()} />
    <h2>Islands by country</h2>
    <div class="cards">${byCountry(islands).map(([country, group]) => html`<div class="card">
      <b>${country}</b>${group.map((island) => html`<div>${island.islandId}: ${millis(island.rttMicros)}</div>`)}
    </div>`)}</div>`;
}
