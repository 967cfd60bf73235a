// The official openai client retrying a chat completion whose first response was lost: BASE_URL (a proxy in front of
// the coordinator that cuts the first connection), API_KEY, MODEL and IDEMPOTENCY_KEY come from the environment.
// The client sends no Idempotency-Key of its own for chat completions (its idempotencyKey option is ignored by the
// OpenAI class), so the key goes in as a header, which every retry repeats. Prints what the call gave as JSON.
import OpenAI from 'openai';

const { BASE_URL, API_KEY, MODEL, IDEMPOTENCY_KEY } = process.env;
const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY, maxRetries: 2, timeout: 60_000 });
const messages = [{ role: 'user', content: 'hello brave new world' }];

const { data, response } = await client.chat.completions
  .create({ model: MODEL, messages }, { headers: { 'Idempotency-Key': IDEMPOTENCY_KEY } })
  .withResponse();
console.log(JSON.stringify({ id: data.id, content: data.choices[0].message.content,
  job: response.headers.get('x-archipelago-job-id'), replayed: response.headers.get('idempotent-replayed') }));
