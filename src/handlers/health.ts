import type { RouteHandler } from './types';

/** Liveness: 200 as long as the process serves HTTP; reveals nothing else. */
export const handleHealth: RouteHandler = () => Response.json({ ok: true });

/** Readiness: 200 once started, 503 while starting or stopping. */
export const handleReady: RouteHandler = (_req, ctx) => {
  const phase = ctx.runtime.phase();
  return Response.json({ ok: phase === 'ready', phase }, { status: phase === 'ready' ? 200 : 503 });
};
