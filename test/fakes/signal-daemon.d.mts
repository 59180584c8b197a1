/** Types of the fake signal-cli daemon (signal-daemon.mjs, plain JS so the fake executable can run it). */
export interface FakeSignalDaemon {
  origin: string;
  account: string;
  calls: Array<{ method: string; params: Record<string, any> }>;
  push(event: unknown): void;
  dropStreams(): void;
  connections(): number;
  streams(): number;
  addAttachment(id: string, base64: string): void;
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
}): Record<string, any>;
