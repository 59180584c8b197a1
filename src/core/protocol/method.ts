import type { GatewayContext } from '../context';
import type { z } from '../zod';

/** What a method handler gets besides its params. */
export interface MethodCall {
  ctx: GatewayContext;
  connectionId: string;
  /** Sends an event to the caller only (a streamed chat reply). */
  emit(event: string, payload: unknown): void;
  /** Aborted when the connection closes. */
  signal: AbortSignal;
}

/** A control method: params checked by the zod schema before `handle` sees them. */
export interface MethodDef {
  params: z.ZodType;
  handle(params: unknown, call: MethodCall): unknown | Promise<unknown>;
}

/** Declares a method with its zod params schema; the table in `methods/index.ts` collects them. */
export function defineMethod<S extends z.ZodType>(
  params: S,
  handle: (params: z.output<S>, call: MethodCall) => unknown | Promise<unknown>,
): MethodDef {
  return { params, handle: handle as MethodDef['handle'] };
}
