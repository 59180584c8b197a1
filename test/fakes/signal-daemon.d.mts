import type { SignalDataMessage, SignalEnvelope } from '../../src/core/channels/signal/normalize';

/** Types of the fake signal-cli daemon (signal-daemon.mjs, plain JS so the fake executable can run it). */
export interface FakeSignalDaemon {
  origin: string;
  account: string;
  /** `failed` on a `send` the fake refused or answered with a failure result. */
  calls: Array<{ method: string; params: SignalRpcParams; failed?: boolean }>;
  push(event: unknown): void;
  dropStreams(): void;
  connections(): number;
  streams(): number;
  addAttachment(id: string, base64: string): void;
  /** Every send to `to` (a number or `group:<id>`) answered with this JSON-RPC error. */
  refuse(to: string, message: string, code?: number): void;
  /** The next sends to `to` answered with these result types (`NETWORK_FAILURE`, ...), one each. */
  failNext(to: string, ...types: string[]): void;
  close(): Promise<void>;
}

export function startFakeSignalDaemon(options?: {
  host?: string;
  port?: number;
  account?: string;
}): Promise<FakeSignalDaemon>;

export function signalMessage(options: {
  from?: string;
  name?: string;
  text: string;
  timestamp?: number;
  groupId?: string;
  mentions?: Array<{ name?: string; number?: string; uuid?: string; start?: number; length?: number }>;
  attachments?: Array<{ id?: string; contentType?: string; filename?: string; size?: number }>;
  account?: string;
}): { account: string; envelope: SignalEnvelope & { dataMessage: SignalDataMessage } };

/** A JSON-RPC request's params as signal-cli takes them: the fields the fake and the tests read; any other is unknown. */
export interface SignalRpcParams {
  recipient?: string[];
  groupId?: string;
  message?: string;
  id?: string;
  [field: string]: unknown;
}
