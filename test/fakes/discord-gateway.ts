import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeChannel, FakeUser } from './discord-rest';

/**
 * A fake Discord gateway (v10, JSON, no compression) speaking what @discordjs/ws needs:
 * HELLO, IDENTIFY → READY (+ GUILD_CREATE per guild), HEARTBEAT → HEARTBEAT_ACK, RESUME →
 * replayed events + RESUMED, INVALID_SESSION, and DISPATCH events the test sends.
 * https://discord.com/developers/docs/events/gateway
 */
export interface FakeGuild {
  id: string;
  name: string;
  channels: FakeChannel[];
}

export interface ReceivedOp {
  op: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON off the wire; tests read its fields directly
  d: any;
  at: number;
}

interface Session {
  id: string;
  seq: number;
  log: Array<{ s: number; t: string; d: unknown }>;
}

export interface GatewayOptions {
  token: string;
  bot: FakeUser;
  applicationId: string;
  guilds: FakeGuild[];
  heartbeatIntervalMs: number;
  url: () => string;
  onEvent: () => void;
}

export const OP = {
  DISPATCH: 0,
  HEARTBEAT: 1,
  IDENTIFY: 2,
  RESUME: 6,
  RECONNECT: 7,
  INVALID_SESSION: 9,
  HELLO: 10,
  ACK: 11,
} as const;

export class FakeGateway {
  readonly received: ReceivedOp[] = [];
  /** Every socket ever opened, in order. */
  readonly connections: WebSocket[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private session: Session | undefined;
  private current: WebSocket | undefined;
  private sessionCounter = 0;
  ackHeartbeats = true;
  /** While true, connection attempts are cut before the WebSocket handshake (a gateway that is down). */
  refuseConnections = false;
  /** When each connection attempt arrived (refused ones too). */
  readonly attempts: number[] = [];

  constructor(private readonly options: GatewayOptions) {
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.attempts.push(Date.now());
    this.options.onEvent();
    if (this.refuseConnections) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Sends a dispatch event to the live session (or keeps it for the replay after a resume). */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) throw new Error('fake gateway: no session to dispatch to');
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (this.current?.readyState === 1) this.send(this.current, { op: OP.DISPATCH, t, s, d });
  }

  /** Drops the socket as a network failure would (no close frame). */
  drop(): void {
    this.current?.terminate();
    this.current = undefined;
  }

  /** Closes with a code (4000 unknown error: clients resume; 4004: authentication failed). */
  close(code: number): void {
    this.current?.close(code, 'fake gateway close');
    this.current = undefined;
  }

  /** INVALID_SESSION (not resumable): the client must identify again. */
  invalidateSession(): void {
    this.session = undefined;
    if (this.current) this.send(this.current, { op: OP.INVALID_SESSION, d: false });
  }

  ops(op: number): ReceivedOp[] {
    return this.received.filter((r) => r.op === op);
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  async stop(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    this.connections.push(socket);
    this.current = socket;
    socket.on('message', (data) => this.onMessage(socket, JSON.parse(data.toString())));
    this.send(socket, { op: OP.HELLO, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  // biome-ignore lint/suspicious/noExplicitAny: JSON off the wire
  private onMessage(socket: WebSocket, payload: { op: number; d: any }): void {
    this.received.push({ op: payload.op, d: payload.d, at: Date.now() });
    this.options.onEvent();
    if (payload.op === OP.HEARTBEAT) {
      if (this.ackHeartbeats) this.send(socket, { op: OP.ACK });
    } else if (payload.op === OP.IDENTIFY) {
      this.identify(socket, payload.d);
    } else if (payload.op === OP.RESUME) {
      this.resume(socket, payload.d);
    }
  }

  private identify(socket: WebSocket, d: { token?: string }): void {
    if (d.token !== this.options.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const session: Session = { id: `fake-session-${++this.sessionCounter}`, seq: 0, log: [] };
    this.session = session;
    this.dispatch('READY', {
      v: 10,
      user: this.options.bot,
      guilds: this.options.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.url(),
      shard: [0, 1],
      application: { id: this.options.applicationId, flags: 0 },
    });
    for (const guild of this.options.guilds) {
      this.dispatch('GUILD_CREATE', {
        id: guild.id,
        name: guild.name,
        channels: guild.channels,
        threads: [],
      });
    }
  }

  private resume(socket: WebSocket, d: { token?: string; session_id?: string; seq?: number }): void {
    const session = this.session;
    if (!session || d.session_id !== session.id || d.token !== this.options.token) {
      this.send(socket, { op: OP.INVALID_SESSION, d: false });
      return;
    }
    for (const event of session.log.filter((e) => e.s > (d.seq ?? 0))) {
      this.send(socket, { op: OP.DISPATCH, t: event.t, s: event.s, d: event.d });
    }
    this.dispatch('RESUMED', {});
  }

  private send(socket: WebSocket, payload: Record<string, unknown>): void {
    socket.send(JSON.stringify({ s: null, t: null, ...payload }));
  }
}
