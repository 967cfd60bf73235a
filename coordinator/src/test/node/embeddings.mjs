// The official openai client's embeddings against a coordinator: BASE_URL, API_KEY and MODEL (an embeddings Cargo)
// come from the environment; prints one JSON object with what each call gave, for the Java test to assert on.
import OpenAI from 'openai';

const { BASE_URL, API_KEY, MODEL } = process.env;
const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY, maxRetries: 0, timeout: 60_000 });

const cat = 'A cat is sitting on the mat.';
const kitten = 'A small kitten sits on a rug.';
const taxes = 'Quarterly tax returns are due at the end of the month.';

const norm = (v) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
const cosine = (a, b) => a.reduce((sum, x, i) => sum + x * b[i], 0) / (norm(a) * norm(b));
const maxDifference = (a, b) => a.reduce((max, x, i) => Math.max(max, Math.abs(x - b[i])), 0);

const results = {};

// no encoding_format: the client asks for base64 and decodes little-endian float32 itself
const single = await client.embeddings.create({ model: MODEL, input: cat });
const one = single.data[0].embedding;
results.single = { object: single.object, model: single.model, count: single.data.length,
  itemObject: single.data[0].object, index: single.data[0].index, dims: one.length, norm: norm(one),
  usage: single.usage };

const list = await client.embeddings.create({ model: MODEL, input: [taxes, cat, kitten] });
const [taxesVector, catVector, kittenVector] = list.data.map((item) => item.embedding);
results.list = { count: list.data.length, indices: list.data.map((item) => item.index),
  dims: list.data.map((item) => item.embedding.length),
  // the second text of the list is the single text: the same vector, so the list kept its order
  sameAsSingle: cosine(catVector, one), paraphrases: cosine(catVector, kittenVector),
  unrelated: cosine(catVector, taxesVector) };

const floats = await client.embeddings.create({ model: MODEL, input: [taxes, cat, kitten],
  encoding_format: 'float' });
results.float = { isArray: Array.isArray(floats.data[1].embedding), dims: floats.data[1].embedding.length,
  maxDifferenceFromBase64: Math.max(...floats.data.map((item, i) => maxDifference(item.embedding,
    list.data[i].embedding))) };

try {
  const stranger = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: 'ak-not-a-key-of-anyone', maxRetries: 0 });
  await stranger.embeddings.create({ model: MODEL, input: cat });
  results.badKey = null;
} catch (error) {
  results.badKey = { authenticationError: error instanceof OpenAI.AuthenticationError, status: error.status ?? null,
    code: error.code ?? null };
}

console.log(JSON.stringify(results));
