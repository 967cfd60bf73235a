// The semantic tier of the inference cache through the official openai client: BASE_URL, API_KEY and MODEL come from
// the environment. PHASE=first asks one question opted into the semantic tier (extra body field cache: "semantic");
// PHASE=near, once InferenceCacheTest saw the answer indexed, asks a paraphrase of it whole and streamed, and a near
// miss that names another entity. Prints what every call gave as one JSON object.
import OpenAI from 'openai';

const { BASE_URL, API_KEY, MODEL, PHASE } = process.env;
const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY, maxRetries: 0, timeout: 60_000 });

function ask(content) {
  return { model: MODEL, temperature: 0, cache: 'semantic', messages: [{ role: 'user', content }] };
}

async function whole(body) {
  const { data, response } = await client.chat.completions.create(body).withResponse();
  return { content: data.choices[0].message.content, field: data.archipelago_cache ?? null,
    cached: data.usage?.prompt_tokens_details?.cached_tokens ?? null,
    cache: response.headers.get('x-archipelago-cache'), job: response.headers.get('x-archipelago-job-id'),
    source: response.headers.get('x-archipelago-cache-source-job') };
}

async function streamed(body) {
  const { data: stream, response } = await client.chat.completions.create({ ...body, stream: true,
    stream_options: { include_usage: true } }).withResponse();
  const result = { content: '', fields: [], cached: null, cache: response.headers.get('x-archipelago-cache') };
  for await (const chunk of stream) {
    result.fields.push(chunk.archipelago_cache ?? null);
    result.content += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) {
      result.cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? null;
    }
  }
  return result;
}

const results = {};
if (PHASE === 'first') {
  results.first = await whole(ask('How do I reset my password?'));
} else {
  results.near = await whole(ask('How can I reset my password?'));
  results.nearStreamed = await streamed(ask('how can I reset my password'));
  results.nearMiss = await whole(ask('How do I reset my username?'));
}
console.log(JSON.stringify(results));
