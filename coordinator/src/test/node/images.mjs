// The official openai client generating images against a running coordinator: BASE_URL, API_KEY, MODEL (an image
// Cargo type) and IDEMPOTENCY_KEY come from the environment. Prints what each call gave as one JSON object; the
// test (ImagesTest) checks it.
import { createHash } from 'node:crypto';
import OpenAI from 'openai';

const { BASE_URL, API_KEY, MODEL, IDEMPOTENCY_KEY } = process.env;
const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY, maxRetries: 0, timeout: 60_000 });
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const png = (bytes) => bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
const results = {};

async function apiError(call) {
  try {
    await call();
    return { apiError: false };
  } catch (error) {
    return { apiError: error instanceof OpenAI.APIError, status: error.status, code: error.code,
      message: error.message };
  }
}

// whole, b64_json, two images
{
  const { data: answer, response } = await client.images.generate({ model: MODEL, prompt: 'a lighthouse at dusk',
    n: 2, size: '64x64', response_format: 'b64_json' }).withResponse();
  const images = answer.data.map((image) => Buffer.from(image.b64_json, 'base64'));
  results.b64 = { count: images.length, png: images.every(png), sha256: images.map(sha256),
    claimed: answer.data.map((image) => image.sha256), job: response.headers.get('x-archipelago-job-id'),
    units: answer.archipelago?.units, unit: answer.archipelago?.unit, outputFormat: answer.output_format };
}

// whole, url: fetched without a key, the same prompt paints the same image
{
  const answer = await client.images.generate({ model: MODEL, prompt: 'a lighthouse at dusk', size: '64x64',
    response_format: 'url' });
  const url = answer.data[0].url;
  const fetched = await fetch(url);
  const bytes = Buffer.from(await fetched.arrayBuffer());
  results.url = { url, status: fetched.status, type: fetched.headers.get('content-type'), png: png(bytes),
    sha256: sha256(bytes) };
  // one character of the signature changed (to another one: a signature may begin with 'A' already)
  const tampered = await fetch(url.replace(/signature=(.)/,
    (whole, first) => `signature=${first === 'A' ? 'B' : 'A'}`));
  results.url.tampered = { status: tampered.status, body: await tampered.json() };
}

// streamed: progress to 100 %, two partial images, then the image
{
  const stream = await client.images.generate({ model: MODEL, prompt: 'a red fox in snow', size: '128x128',
    stream: true, partial_images: 2 });
  const progress = [];
  const partials = [];
  const completed = [];
  for await (const event of stream) {
    if (event.type === 'progress') {
      progress.push({ value: event.value, max: event.max, stage: event.stage });
    } else if (event.type === 'image_generation.partial_image') {
      partials.push({ index: event.partial_image_index, png: png(Buffer.from(event.b64_json, 'base64')) });
    } else if (event.type === 'image_generation.completed') {
      const bytes = Buffer.from(event.b64_json, 'base64');
      completed.push({ png: png(bytes), sha256: sha256(bytes), claimed: event.sha256, size: event.size });
    }
  }
  results.streamed = { progress, partials, completed };
}

// a retry with the same Idempotency-Key gets the same answer and starts no second job
{
  const ask = () => client.images.generate({ model: MODEL, prompt: 'an idempotent owl', size: '64x64' },
    { headers: { 'Idempotency-Key': IDEMPOTENCY_KEY } }).withResponse();
  const first = await ask();
  const again = await ask();
  results.idempotent = { first: first.data.data[0].b64_json, again: again.data.data[0].b64_json,
    firstJob: first.response.headers.get('x-archipelago-job-id'),
    againJob: again.response.headers.get('x-archipelago-job-id'),
    replayed: again.response.headers.get('idempotent-replayed') };
}

results.unknownModel = await apiError(() => client.images.generate({ model: 'images.nowhere', prompt: 'x' }));
results.badSize = await apiError(() => client.images.generate({ model: MODEL, prompt: 'x', size: 'huge' }));

console.log(JSON.stringify(results));
