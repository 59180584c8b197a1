import WebSocket from 'ws';

export interface Frame {
  type: string;
  id?: string | number | null;
  ok?: boolean;
  payload?: any;
  error?: { code: string; message: string; retryable?: boolean };
  event?: string;
  seq?: number;
}

/** A small control-protocol client for tests: the real `ws` client on the wire. */
export class ControlClient {
  readonly frames: Frame[] = [];
  private waiters = new Set<() => void>();
  private nextId = 0;
  closed?: { code: number; reason: string };

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const waiter of this.waiters) waiter();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const waiter of this.waiters) waiter();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new ControlClient(socket)));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  /** Opens and completes the `connect` handshake. */
  static async connect(url: string, token: string): Promise<ControlClient> {
    const client = await ControlClient.open(url);
    await client.waitFor((f) => f.event === 'connect.challenge');
    const res = await client.request('connect', {
      protocol: 1,
      auth: { token },
      client: { name: 'test', version: '0' },
    });
    if (!res.ok) throw new Error(`connect failed: ${JSON.stringify(res.error)}`);
    return client;
  }

  waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const frame = this.frames.find(predicate);
        if (frame) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(frame);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.closed) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(this.closed);
        }
      };
      const timer = setTimeout(() => reject(new Error('socket not closed')), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  async request(method: string, params?: unknown, timeoutMs = 5000): Promise<Frame> {
    const id = `r${++this.nextId}`;
    this.socket.send(JSON.stringify({ type: 'req', id, method, params }));
    return this.waitFor((f) => f.type === 'res' && f.id === id, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}
