// The inference cache through the official openai client: BASE_URL, API_KEY, OTHER_KEY (a key of another account)
// and MODEL come from the environment. Asks each deterministic request twice, waiting in between until the cache
// kept the first answer (GET /cache/stats counts the entries), and prints what every call gave as one JSON object
// for InferenceCacheTest to assert on.
import OpenAI from 'openai';

const { BASE_URL, API_KEY, OTHER_KEY, MODEL } = process.env;
const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY, maxRetries: 0, timeout: 60_000 });
const other = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: OTHER_KEY, maxRetries: 0, timeout: 60_000 });

async function entries(key) {
  const response = await fetch(`${BASE_URL}/cache/stats`, { headers: { Authorization: `Bearer ${key}` } });
  return (await response.json()).entries;
}

async function kept(key, count) {
  for (let i = 0; i < 200 && (await entries(key)) < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return entries(key);
}

async function whole(api, body, options) {
  const { data, response } = await api.chat.completions.create(body, options).withResponse();
  return { content: data.choices[0].message.content, usage: data.usage, field: data.archipelago_cache ?? null,
    cache: response.headers.get('x-archipelago-cache'), job: response.headers.get('x-archipelago-job-id'),
    source: response.headers.get('x-archipelago-cache-source-job') };
}

async function streamed(api, body) {
  const { data: stream, response } = await api.chat.completions.create({ ...body, stream: true,
    stream_options: { include_usage: true } }).withResponse();
  const result = { chunks: 0, content: '', finish: null, usage: null, fields: [],
    cache: response.headers.get('x-archipelago-cache'), job: response.headers.get('x-archipelago-job-id') };
  for await (const chunk of stream) {
    result.chunks++;
    result.fields.push(chunk.archipelago_cache ?? null);
    const choice = chunk.choices[0];
    if (choice?.delta?.content) {
      result.content += choice.delta.content;
    }
    if (choice?.finish_reason) {
      result.finish = choice.finish_reason;
    }
    if (chunk.usage) {
      result.usage = chunk.usage;
    }
  }
  return result;
}

const deterministic = { model: MODEL, temperature: 0, messages: [{ role: 'user', content: 'what is a cache for' }] };
const results = {};
results.first = await whole(client, deterministic);
results.keptAfterFirst = await kept(API_KEY, 1);
results.second = await whole(client, deterministic);
// the same request with its keys in another order
results.rewritten = await whole(client, { messages: deterministic.messages, temperature: 0.0, model: MODEL });
results.bypassHeader = await whole(client, deterministic, { headers: { 'X-Archipelago-Cache': 'bypass' } });
results.noCache = await whole(client, deterministic, { headers: { 'Cache-Control': 'no-cache' } });
results.bypassField = await whole(client, { ...deterministic, cache: 'bypass' });
results.otherAccount = await whole(other, deterministic);

const seeded = { model: MODEL, seed: 7, messages: [{ role: 'user', content: 'stream me a cached answer' }] };
results.streamedFirst = await streamed(client, seeded);
results.keptAfterStream = await kept(API_KEY, 2);
results.streamedSecond = await streamed(client, seeded);

const sampled = { model: MODEL, messages: [{ role: 'user', content: 'tell me something new' }] };
results.sampledFirst = await whole(client, sampled);
results.sampledSecond = await whole(client, sampled);
results.entriesAtEnd = await entries(API_KEY);

console.log(JSON.stringify(results));
