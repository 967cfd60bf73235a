// The one way the app talks to the coordinator: its public HTTP API, with the key kept in sessionStorage.

const KEY = "archipelago.key";
const ACCOUNT = "archipelago.account";

export const session = {
  key: () => sessionStorage.getItem(KEY),
  account: () => sessionStorage.getItem(ACCOUNT) || "",
  signIn(key, account) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ACCOUNT, account);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ACCOUNT);
  },
};

/** An error as the API worded it: OpenAI's shape on /v1, RFC 7807 elsewhere. */
export class ApiError extends Error {
  constructor(status, body) {
    super(wording(status, body));
    this.status = status;
    this.body = body;
  }
}

function wording(status, body) {
  if (body && typeof body === "object") {
    if (body.error && body.error.message) {
      return body.error.code ? `${body.error.message} (${body.error.code})` : body.error.message;
    }
    if (body.detail || body.title) {
      return body.detail ? `${body.title || status}: ${body.detail}` : body.title;
    }
  }
  return typeof body === "string" && body ? body : `HTTP ${status}`;
}

export function headers(extra = {}, key = session.key()) {
  const all = { ...extra };
  if (key) {
    all.Authorization = `Bearer ${key}`;
  }
  return all;
}

async function body(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** Calls the API and answers its JSON, or throws an ApiError worded as the API worded it. */
export async function call(method, path, payload, options = {}) {
  const init = { method, headers: headers(payload === undefined ? {} : { "Content-Type": "application/json" },
    options.key === undefined ? session.key() : options.key) };
  if (payload !== undefined) {
    init.body = JSON.stringify(payload);
  }
  const response = await fetch(path, init);
  const answer = await body(response);
  if (!response.ok) {
    throw new ApiError(response.status, answer);
  }
  return answer;
}

export const get = (path, options) => call("GET", path, undefined, options);

/**
 * Reads a server-sent event stream from a response body (fetch, so that the key rides in a header, never in a URL),
 * calling onEvent(name, data) for each event; resolves when the stream ends.
 */
export async function readEvents(response, onEvent, signal) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let name = "message";
  let data = [];
  for (;;) {
    if (signal && signal.aborted) {
      await reader.cancel();
      return;
    }
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        if (data.length) {
          onEvent(name, data.join("\n"));
        }
        name = "message";
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      } else if (line.startsWith("event:")) {
        name = line.slice(6).trim();
      }
    }
  }
}

/** Follows an SSE feed of the API until signal aborts; onEvent(name, parsed JSON). */
export async function follow(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers({ Accept: "text/event-stream" }), signal });
  if (!response.ok) {
    throw new ApiError(response.status, await body(response));
  }
  await readEvents(response, (name, data) => onEvent(name, JSON.parse(data)), signal);
}

export const credits = (micro) => (micro === null || micro === undefined ? "-" : `${(micro / 1e6).toFixed(6)} cr`);
export const millis = (micros) => (micros === null || micros === undefined ? "-" : `${(micros / 1000).toFixed(1)} ms`);
