// Drives the browser app in headless Chromium against a running coordinator; started by the coordinator's
// WebAppTest, which gives the coordinator, the keys and where screenshots go, and checks what this prints (JSON).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const BASE = env("BASE_URL");
const SHOTS = env("SCREENSHOTS");
mkdirSync(SHOTS, { recursive: true });
const result = {};
const WAIT = { timeout: 30_000 };

const browser = await chromium.launch({ executablePath: env("CHROMIUM"), headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });

async function signIn(page, key, account) {
  await page.goto(`${BASE}/app/`);
  await page.getByLabel("API key").fill(key);
  await page.getByLabel(/Account id/).fill(account || "");
  await page.keyboard.press("Enter");
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("form", { name: "Sign in" }).waitFor(WAIT);
}

try {
  // the first load, cold: its time on localhost and the bytes it transferred, beside a bare API round trip
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    let transferred = 0;
    let requests = 0;
    cdp.on("Network.loadingFinished", (event) => { transferred += event.encodedDataLength; requests++; });
    const started = Date.now();
    await page.goto(`${BASE}/app/`, { waitUntil: "load" });
    await page.getByRole("form", { name: "Sign in" }).waitFor(WAIT);
    const firstLoadMillis = Date.now() - started;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
    });
    // the anchor: the same server's round trip for its smallest static file, measured the same way
    const anchorStarted = Date.now();
    await page.evaluate(async () => (await fetch("/app/index.html", { cache: "no-store" })).text());
    const anchorMillis = Date.now() - anchorStarted;
    result.firstLoad = { millis: firstLoadMillis, ...timing, transferredBytes: transferred, requests,
      anchorRoundTripMillis: anchorMillis };
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();

  // a wrong key: the API's own words
  await signIn(page, "ak-not-a-key-of-this-exchange", "");
  const alert = page.getByRole("alert");
  await alert.waitFor(WAIT);
  result.wrongKey = (await alert.textContent()).trim();
  result.keyInUrl = page.url().includes("ak-");
  await page.screenshot({ path: `${SHOTS}/signin-wrong-key.png`, fullPage: true });

  // sign in and stream a chat: the answer names its Island
  await signIn(page, env("CONSUMER_KEY"), "demo-consumer");
  await page.locator("#page-chat").waitFor(WAIT);
  result.keyInSessionStorage = await page.evaluate(() => sessionStorage.getItem("archipelago.key") !== null);
  result.keyInLocalStorage = await page.evaluate(() => localStorage.length > 0);
  await page.getByLabel("Model").selectOption("llm.chat.demo");
  await page.getByLabel("Message").fill("hello brave new world");
  await page.getByRole("button", { name: "Send" }).click();
  const meta = page.getByTestId("answer-meta");
  await meta.waitFor(WAIT);
  result.chat = {
    answer: (await page.locator(".message.assistant .content").textContent()).trim(),
    island: (await meta.locator(".island").textContent()).trim(),
    country: (await meta.locator(".country").textContent()).trim(),
    meta: (await meta.textContent()).replace(/\s+/g, " ").trim(),
  };
  await page.screenshot({ path: `${SHOTS}/chat.png`, fullPage: true });

  // an image on the demo's painter: the bar follows the Island's progress to 100%, partial images come first, the
  // images are drawn at the size asked, and the job's cost is shown
  await page.getByRole("link", { name: "Images" }).click();
  await page.locator("#page-images form").waitFor(WAIT);
  await page.evaluate(() => {
    // every state the bar and the partial images went through, as the page showed them
    window.seenProgress = [];
    window.seenPartials = 0;
    const where = document.querySelector("#page-images");
    new MutationObserver(() => {
      const bar = where.querySelector("progress");
      const shown = bar && `${bar.value}/${bar.max}`;
      if (shown && window.seenProgress.at(-1) !== shown) window.seenProgress.push(shown);
      const partials = where.querySelectorAll('[data-testid="partial-image"]').length;
      window.seenPartials = Math.max(window.seenPartials, partials);
    }).observe(where, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.getByLabel("Model").selectOption("images.demo");
  await page.getByLabel("Size").selectOption(env("IMAGE_SIZE"));
  await page.getByLabel("Images (n)").fill(env("IMAGE_COUNT"));
  await page.getByLabel("Prompt").fill("a lighthouse at dusk");
  await page.getByLabel("Prompt").press("Control+Enter");
  const imageMeta = page.locator("#page-images").getByTestId("answer-meta");
  await imageMeta.waitFor(WAIT);
  const bar = page.locator("#page-images progress");
  await page.waitForFunction(() => [...document.querySelectorAll('#page-images [data-testid="image"] img')]
    .every((image) => image.complete && image.naturalWidth > 0), null, WAIT);
  const drawn = page.locator('#page-images [data-testid="image"] img');
  result.images = {
    value: await bar.evaluate((element) => element.value),
    max: await bar.evaluate((element) => element.max),
    label: (await page.getByTestId("image-progress-label").textContent()).replace(/\s+/g, " ").trim(),
    barName: await bar.getAttribute("aria-label"),
    seen: await page.evaluate(() => window.seenProgress),
    partialsSeen: await page.evaluate(() => window.seenPartials),
    naturalWidths: await drawn.evaluateAll((all) => all.map((image) => image.complete ? image.naturalWidth : -1)),
    naturalHeights: await drawn.evaluateAll((all) => all.map((image) => image.complete ? image.naturalHeight : -1)),
    meta: (await imageMeta.textContent()).replace(/\s+/g, " ").trim(),
    errors: await page.locator("#page-images").getByRole("alert").count(),
  };
  await page.screenshot({ path: `${SHOTS}/images.png`, fullPage: true });
  // a size the demo does not paint: the failure as the API words it, and the job's record beside it
  await page.getByLabel("Size").selectOption("1024x1024");
  await page.getByLabel("Images (n)").fill("1");
  await page.getByRole("button", { name: "Generate" }).press("Enter");
  const refused = page.locator("#page-images").getByRole("alert");
  await refused.waitFor(WAIT);
  await imageMeta.waitFor(WAIT);
  result.images.refused = (await refused.textContent()).trim();
  result.images.refusedMeta = (await imageMeta.textContent()).replace(/\s+/g, " ").trim();
  result.images.imagesAfterRefusal = await drawn.count();
  // the bid terms ride along: the only image Island is in DE, so a bid for CH finds none
  await page.getByLabel("Size").selectOption(env("IMAGE_SIZE"));
  await page.getByLabel(/Jurisdiction/).fill("CH");
  await page.getByRole("button", { name: "Generate" }).press("Enter");
  await page.getByRole("button", { name: "Generating..." }).waitFor(WAIT);
  await page.getByRole("button", { name: "Generate", exact: true }).waitFor(WAIT);
  result.images.outsideJurisdiction = (await refused.textContent()).trim();
  await page.getByLabel(/Jurisdiction/).fill("");

  // the dashboard draws the market that just traded
  await page.getByRole("link", { name: "Markets" }).click();
  await page.getByLabel("Market").selectOption("llm.chat.demo");
  await page.locator('[data-testid="price-chart"]:not([data-candles="0"])').waitFor(WAIT);
  await page.getByRole("table", { name: "Karma leaderboard" }).locator("tbody tr").first().waitFor(WAIT);
  result.dashboard = {
    candles: Number(await page.getByTestId("price-chart").getAttribute("data-candles")),
    canvases: await page.locator('[data-testid="price-chart"] canvas').count(),
    bestAsk: (await page.getByTestId("best-ask").textContent()).trim(),
    volume: (await page.getByTestId("volume").textContent()).trim(),
    leaderboardRows: await page.getByRole("table", { name: "Karma leaderboard" }).locator("tbody tr").count(),
  };
  // the chat above was sampled (no temperature), so the cache was told to stay out of it: one bypass at least
  await page.getByTestId("cache-stats").waitFor(WAIT);
  result.dashboard.cacheBypasses = Number((await page.getByTestId("cache-bypasses").textContent()).trim());
  result.dashboard.cacheHitRate = (await page.getByTestId("cache-hit-rate").textContent()).trim();
  await page.screenshot({ path: `${SHOTS}/markets.png`, fullPage: true });

  // the playground sends a /v1 request and shows it as the official clients would make it
  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByTestId("status").waitFor(WAIT);
  result.playground = {
    status: (await page.getByTestId("status").textContent()).trim(),
    response: await page.getByTestId("response").textContent(),
    code: await page.getByRole("region", { name: "Code" }).textContent(),
  };
  await page.screenshot({ path: `${SHOTS}/playground.png`, fullPage: true });

  // at phone width the pages fit and stay usable by keyboard
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("link", { name: "Chat" }).click();
  await page.locator("#page-chat").waitFor(WAIT);
  result.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  await page.screenshot({ path: `${SHOTS}/chat-phone.png`, fullPage: true });
  await page.getByRole("link", { name: "Images" }).click();
  await page.locator("#page-images form").waitFor(WAIT);
  // the models came (the button waits for one)
  await page.locator("#page-images button[type=submit]:not([disabled])").waitFor(WAIT);
  result.imagesPhoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  await page.screenshot({ path: `${SHOTS}/images-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1200, height: 900 });
  await signOut(page);

  // a host reprices its ask below the market's best ask: the best ask on the page follows, pushed by the feed
  await signIn(page, env("HOST_KEY"), env("HOST_ACCOUNT"));
  await page.getByRole("link", { name: "Host" }).click();
  const row = page.getByTestId(`ask-${env("HOST_ISLAND")}-llm.chat.demo`);
  await row.waitFor(WAIT);
  const before = (await row.getByTestId("market-best-ask").textContent()).trim();
  await row.getByLabel(/New price/).fill(env("NEW_PRICE"));
  await row.getByLabel(/New price/).press("Enter");
  const newPrice = `${(Number(env("NEW_PRICE")) / 1e6).toFixed(6)} cr`;
  await row.getByTestId("market-best-ask").filter({ hasText: newPrice }).waitFor(WAIT);
  result.reprice = { before, after: (await row.getByTestId("market-best-ask").textContent()).trim() };

  // the host changes its Island's schedule: the page shows the new one as the read side holds it
  const island = page.getByRole("region", { name: `Island ${env("HOST_ISLAND")}` });
  const shown = island.getByTestId(`schedule-${env("HOST_ISLAND")}`);
  result.schedule = { before: (await shown.textContent()).trim() };
  await island.getByRole("button", { name: "Edit schedule" }).click();
  const always = island.getByLabel("Always available");
  if (await always.isChecked()) await always.uncheck();
  while (await island.getByRole("button", { name: /^Remove window/ }).count()) {
    await island.getByRole("button", { name: /^Remove window/ }).first().click();
  }
  await island.getByRole("button", { name: "Add window" }).click();
  const window1 = island.getByRole("group", { name: "Window 1 (UTC)" });
  await window1.getByLabel("From day").selectOption("1");
  await window1.getByLabel("from time").fill("09:00");
  await window1.getByLabel("To day").selectOption("1");
  await window1.getByLabel("to time").fill("17:30");
  await island.getByRole("button", { name: "Add window" }).click();
  const window2 = island.getByRole("group", { name: "Window 2 (UTC)" });
  await window2.getByLabel("From day").selectOption("4");
  await window2.getByLabel("from time").fill("22:00");
  await window2.getByLabel("To day").selectOption("5");
  await window2.getByLabel("to time").fill("02:00");
  await island.getByRole("button", { name: "Save schedule" }).click();
  await shown.filter({ hasText: "Tue 09:00-17:30" }).waitFor(WAIT);
  result.schedule.after = (await shown.textContent()).trim();
  await page.screenshot({ path: `${SHOTS}/host.png`, fullPage: true });
  await page.getByRole("link", { name: "Markets" }).click();
  await page.getByLabel("Market").selectOption("llm.chat.demo");
  await page.getByTestId("best-ask").filter({ hasText: newPrice }).waitFor(WAIT);
  result.reprice.dashboard = (await page.getByTestId("best-ask").textContent()).trim();
  await signOut(page);

  // the auditor (the operator's token) runs an audit and sees the chain head and the totals
  await signIn(page, env("OPERATOR_TOKEN"), "");
  await page.getByRole("link", { name: "Auditor" }).click();
  await page.getByRole("button", { name: "Run an audit now" }).press("Enter");
  await page.getByTestId("audit-result").waitFor({ timeout: 60_000 });
  result.audit = {
    result: (await page.getByTestId("audit-result").textContent()).trim(),
    conserved: (await page.getByTestId("conserved").textContent()).trim(),
    head: (await page.getByTestId("chain-head").textContent()).trim(),
    problems: await page.getByTestId("audit-problems").count()
      ? (await page.getByTestId("audit-problems").textContent()).trim() : "",
  };
  await page.screenshot({ path: `${SHOTS}/auditor.png`, fullPage: true });
  await context.close();
} catch (failure) {
  result.failure = String(failure.stack || failure);
  for (const open of browser.contexts().flatMap((context) => context.pages())) {
    await open.screenshot({ path: `${SHOTS}/failure.png`, fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result, null, 2));
