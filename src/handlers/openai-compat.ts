import { buildSessionKey } from '../core/agent/session-key';
import type { AgentEvent } from '../core/agent/types';
import type { GatewayContext } from '../core/context';
import { GatewayError } from '../core/errors';
import type { Usage } from '../core/providers/types';
import { formatIssue } from '../core/zod-issues';
import { chatCompletionsBody, toTurn } from './openai-compat-request';
import type { RouteHandler } from './types';

/**
 * `POST /v1/chat/completions`, OpenAI-compatible, so any OpenAI client can talk to the owner's
 * agents: `model` is `krabkrab` (the default agent) or `agent:<id>`. As with OpenAI, the client
 * sends the whole conversation each time; the gateway keeps no transcript for it.
 */

/** OpenAI's error body, so clients raise their usual errors. */
function openAiError(
  status: number,
  message: string,
  code: string | null = null,
  param: string | null = null,
): Response {
  const type =
    status >= 500 ? 'server_error' : status === 401 ? 'authentication_error' : 'invalid_request_error';
  return Response.json({ error: { message, type, param, code } }, { status });
}

function fromGatewayError(error: unknown): Response {
  if (error instanceof GatewayError)
    return openAiError(error.status, error.message, error.code.toLowerCase());
  return openAiError(500, 'internal error', 'internal');
}

function agentOf(model: string, ctx: Pick<GatewayContext, 'agents'>): string | undefined {
  if (model === 'krabkrab') return ctx.agents.listAgents().find((agent) => agent.default)?.id;
  const id = /^agent:([A-Za-z0-9_-]+)$/.exec(model)?.[1];
  return id && ctx.agents.listAgents().some((agent) => agent.id === id) ? id : undefined;
}

const toOpenAiUsage = (usage: Usage) => ({
  prompt_tokens: usage.inputTokens,
  completion_tokens: usage.outputTokens,
  total_tokens: usage.inputTokens + usage.outputTokens,
});

export const handleChatCompletions: RouteHandler = async (req, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(await req.text());
  } catch {
    return openAiError(400, 'request body is not valid JSON');
  }
  const parsed = chatCompletionsBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] ?? { path: [], message: 'invalid' };
    const param = issue.path.join('.') || null;
    return openAiError(400, formatIssue(issue, { root: 'body' }), null, param);
  }
  const request = parsed.data;
  const agentId = agentOf(request.model, ctx);
  if (!agentId)
    return openAiError(
      404,
      `The model "${request.model}" does not exist: use "krabkrab" or "agent:<id>"`,
      'model_not_found',
      'model',
    );
  let turn: ReturnType<typeof toTurn>;
  try {
    turn = toTurn(request.messages);
  } catch (error) {
    return fromGatewayError(error);
  }
  const id = `chatcmpl-${crypto.randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(ctx.clock.now() / 1000);
  const abort = new AbortController();
  req.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const run = (onEvent?: (event: AgentEvent) => void) =>
    ctx.agents.runTurn({
      agentId,
      sessionKey: buildSessionKey({
        agentId,
        channel: 'openai',
        accountOrChat: 'api',
        peer: request.user ?? 'anonymous',
      }),
      message: turn.last,
      history: turn.history,
      ...(turn.system ? { extraSystem: turn.system } : {}),
      signal: abort.signal,
      // The caller holds the gateway token: the owner.
      trust: 'owner',
      ...(onEvent ? { onEvent } : {}),
    });

  if (!request.stream) {
    try {
      const result = await run();
      return Response.json({
        id,
        object: 'chat.completion',
        created,
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: result.text, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: toOpenAiUsage(result.usage),
      });
    } catch (error) {
      return fromGatewayError(error);
    }
  }

  const encoder = new TextEncoder();
  const includeUsage = Boolean(request.stream_options?.include_usage);
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: request.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (data: unknown) => {
        try {
          controller.enqueue(
            encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`),
          );
        } catch {
          // The client went away; the abort below stops the run.
        }
      };
      send(chunk({ role: 'assistant', content: '' }, null));
      const done = run((event) => {
        if (event.type === 'delta') send(chunk({ content: event.text }, null));
      }).then(
        (result) => {
          send(chunk({}, 'stop'));
          if (includeUsage)
            send({
              id,
              object: 'chat.completion.chunk',
              created,
              model: request.model,
              choices: [],
              usage: toOpenAiUsage(result.usage),
            });
          send('[DONE]');
        },
        (error) => {
          const shape =
            error instanceof GatewayError ? error : new GatewayError('INTERNAL', 'internal error');
          send({
            error: {
              message: shape.message,
              type: shape.status >= 500 ? 'server_error' : 'invalid_request_error',
              param: null,
              code: shape.code.toLowerCase(),
            },
          });
        },
      );
      ctx.waitUntil(
        done.finally(() => {
          try {
            controller.close();
          } catch {
            // Already closed by a cancel.
          }
        }),
      );
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    },
  });
};
