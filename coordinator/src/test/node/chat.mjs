// The official openai client against a coordinator: BASE_URL (the coordinator), API_KEY and MODEL come from the
// environment; prints one JSON object with what each call gave, for OpenAiClientTest to assert on.
import OpenAI from 'openai';

const { BASE_URL, API_KEY, MODEL } = process.env;
const client = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY, maxRetries: 0, timeout: 60_000 });
const messages = [{ role: 'user', content: 'hello brave new world' }];

async function failure(call) {
  try {
    await call();
    return null;
  } catch (error) {
    return { apiError: error instanceof OpenAI.APIError, status: error.status ?? null, code: error.code ?? null,
      type: error.type ?? null, message: error.message };
  }
}

const results = {};
results.models = (await client.models.list()).data.map((model) => model.id);
results.retrieved = (await client.models.retrieve(MODEL)).id;
results.missingModel = await failure(() => client.models.retrieve('no.such.cargo'));

const completion = await client.chat.completions.create({ model: MODEL, messages });
results.completion = { object: completion.object, content: completion.choices[0].message.content,
  role: completion.choices[0].message.role, finish: completion.choices[0].finish_reason, usage: completion.usage };

const stream = await client.chat.completions.create({ model: MODEL, messages, stream: true,
  stream_options: { include_usage: true } });
const streamed = { chunks: 0, content: '', finish: null, usage: null };
for await (const chunk of stream) {
  streamed.chunks++;
  const choice = chunk.choices[0];
  if (choice?.delta?.content) {
    streamed.content += choice.delta.content;
  }
  if (choice?.finish_reason) {
    streamed.finish = choice.finish_reason;
  }
  if (chunk.usage) {
    streamed.usage = chunk.usage;
  }
}
results.streamed = streamed;

const stranger = new OpenAI({ baseURL: `${BASE_URL}/v1`, apiKey: 'ak-not-a-key-of-anyone', maxRetries: 0 });
results.badKey = await failure(() => stranger.chat.completions.create({ model: MODEL, messages }));
results.unknownModel = await failure(() => client.chat.completions.create({ model: 'no.such.cargo', messages }));
results.exhausted = await failure(() => client.chat.completions.create({ model: MODEL, messages,
  limit_micro_credits: 1_000_000_000 }));
results.impossibleJurisdiction = await failure(() => client.chat.completions.create({ model: MODEL, messages,
  stream: true, jurisdiction: 'US' }));

// a client that leaves: three chunks of a long answer, then the stream is abandoned (the loop's break aborts it)
const long = 'word '.repeat(2000);
const { data: leaving, response } = await client.chat.completions.create({ model: MODEL, stream: true,
  messages: [{ role: 'user', content: long }] }).withResponse();
results.aborted = { jobId: response.headers.get('x-archipelago-job-id'), chunks: 0 };
for await (const chunk of leaving) {
  if (++results.aborted.chunks === 3) {
    break;
  }
}

console.log(JSON.stringify(results));
