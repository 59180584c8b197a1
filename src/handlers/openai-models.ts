import type { GatewayContext } from '../core/context';
import type { RouteHandler } from './types';

/** One entry of OpenAI's model list: what Open WebUI, LibreChat and IDE plugins read before they chat. */
interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** `krabkrab` (the default agent) and `agent:<id>` per agent: the names `/v1/chat/completions` takes. */
function modelsOf(ctx: Pick<GatewayContext, 'runtime' | 'agents'>): OpenAiModel[] {
  const created = Math.floor(ctx.runtime.startedAt / 1000);
  const model = (id: string): OpenAiModel => ({ id, object: 'model', created, owned_by: 'krabkrab' });
  return [model('krabkrab'), ...ctx.agents.listAgents().map((agent) => model(`agent:${agent.id}`))];
}

/** `GET /v1/models`, OpenAI's list shape, behind the same bearer token as the completions. */
export const handleModelsList: RouteHandler = async (_req, ctx) =>
  Response.json({ object: 'list', data: modelsOf(ctx) });

/** `GET /v1/models/:id` (the SDK's `models.retrieve`); OpenAI's 404 body for a name no agent has. */
export const handleModelsRetrieve: RouteHandler = async (req, ctx) => {
  const id = decodeURIComponent(new URL(req.url).pathname.slice('/v1/models/'.length));
  const found = modelsOf(ctx).find((model) => model.id === id);
  if (found) return Response.json(found);
  return Response.json(
    {
      error: {
        message: `The model "${id}" does not exist: use "krabkrab" or "agent:<id>"`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    },
    { status: 404 },
  );
};
