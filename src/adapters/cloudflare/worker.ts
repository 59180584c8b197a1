import type { DurableObjectNamespace, ExecutionContext, ScheduledController } from './platform';

export { KrabKrabGateway } from './gateway-object';

interface WorkerEnv {
  GATEWAY: DurableObjectNamespace;
}

/** One gateway per Worker: every request goes to the same Durable Object. */
function gateway(env: WorkerEnv) {
  return env.GATEWAY.get(env.GATEWAY.idFromName('gateway'));
}

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    return gateway(env).fetch(request);
  },
  scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): void {
    ctx.waitUntil(gateway(env).tick(controller.scheduledTime));
  },
};
