// The one module of the Workers runtime this adapter imports; typed by hand (see platform.ts).
declare module 'cloudflare:workers' {
  export abstract class DurableObject<Env = unknown> {
    protected ctx: import('./platform').DurableObjectState;
    protected env: Env;
    constructor(ctx: import('./platform').DurableObjectState, env: Env);
  }
}

/** Exists only on Workers. */
declare var WebSocketPair: {
  new (): { 0: import('./platform').CfWebSocket; 1: import('./platform').CfWebSocket };
};
