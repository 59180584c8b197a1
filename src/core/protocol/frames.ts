import type { ErrorShape } from '../errors';
import * as z from '../zod';

/** Version 1 of the control protocol. */
export const PROTOCOL_VERSION = 1;
/** Frames larger than this get an error frame instead of being parsed. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** A client that has not sent `connect` by then is disconnected. */
export const CONNECT_TIMEOUT_MS = 10_000;

export const requestId = z.union([z.string().min(1).max(128), z.number().int()]);

export const requestFrame = z.strictObject({
  type: z.literal('req'),
  id: requestId,
  method: z.string().min(1).max(128),
  params: z.unknown().optional(),
});

export const connectParams = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  auth: z.object({ token: z.string().min(1).max(4096) }),
  client: z.object({ name: z.string().max(128), version: z.string().max(64).optional() }).optional(),
});

export type RequestFrame = z.infer<typeof requestFrame>;
export type RequestId = z.infer<typeof requestId>;

export type ResponseFrame =
  | { type: 'res'; id: RequestId | null; ok: true; payload: unknown }
  | { type: 'res'; id: RequestId | null; ok: false; error: ErrorShape };

export interface EventFrame {
  type: 'event';
  event: string;
  payload: unknown;
  seq: number;
}

/** The payload of the response to a good `connect`: who answered and which methods it serves. */
export interface HelloOk {
  type: 'hello-ok';
  protocol: number;
  connectionId: string;
  server: { name: string; version: string; runtime?: string };
  methods: string[];
}
