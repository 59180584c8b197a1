import type { GatewayContext } from '../../context';
import type { SocketFactory, SocketLike } from '../channel-def';
import { slackCall } from './api';
import { acceptSlackEnvelope, type SlackEnvelope } from './events';

const RECONNECT_MS = [1_000, 2_000, 5_000, 15_000, 30_000];

/**
 * Slack's Socket Mode: `apps.connections.open` with the app token (`xapp-...`) gives a WebSocket
 * URL; each `events_api` envelope is spooled, then acknowledged with its `envelope_id` (Slack
 * redelivers what is not acknowledged within 3 s; the dedupe answers a redelivery once). A
 * `disconnect` or a closed socket reconnects, with backoff on the gateway's clock.
 * https://api.slack.com/apis/socket-mode
 */
export function runSlackSocketMode(
  ctx: Pick<GatewayContext, 'env' | 'store' | 'logs' | 'config' | 'clock' | 'pipeline' | 'log' | 'channels'>,
  options: { appToken: string; apiBase: string; socket: SocketFactory; fetch?: typeof fetch },
): { stop(): void } {
  const log = ctx.log.scope('slack');
  let stopped = false;
  let failures = 0;
  let socket: SocketLike | undefined;
  let cancelRetry = () => {};

  const retry = (why: string) => {
    if (stopped) return;
    const delay = RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]!;
    log.warn(`socket mode: ${why}; reconnecting in ${delay / 1000} s`);
    ctx.channels.setStatus('slack', { state: 'reconnecting', mode: 'socket', error: why });
    cancelRetry = ctx.clock.setTimer(() => void connect(), delay);
  };

  const onMessage = async (data: unknown, from: SocketLike) => {
    let frame: { type?: string; envelope_id?: string; payload?: SlackEnvelope };
    try {
      frame = JSON.parse(String(data));
    } catch {
      return log.warn('socket mode: a frame that is not JSON was ignored');
    }
    if (frame.type === 'hello') {
      failures = 0;
      ctx.channels.setStatus('slack', { state: 'connected', mode: 'socket' });
      return;
    }
    if (frame.type === 'disconnect') return from.close();
    if (!frame.envelope_id) return;
    try {
      if (frame.type === 'events_api' && frame.payload) await acceptSlackEnvelope(ctx, frame.payload);
    } catch (error) {
      log.error('socket mode: an event was not accepted', error);
    } finally {
      from.send(JSON.stringify({ envelope_id: frame.envelope_id }));
    }
  };

  const connect = async () => {
    if (stopped) return;
    let url: string;
    try {
      const opened = await slackCall(
        options.apiBase,
        options.appToken,
        'apps.connections.open',
        {},
        options.fetch,
      );
      url = String(opened.url ?? '');
    } catch (error) {
      return retry(`apps.connections.open failed: ${(error as Error).message}`);
    }
    if (stopped) return;
    const current = options.socket(url);
    socket = current;
    current.addEventListener('message', (event) => void onMessage(event.data, current));
    current.addEventListener('close', () => {
      if (socket === current) retry('the socket closed');
    });
    current.addEventListener('error', () => {});
  };

  void connect();
  return {
    stop() {
      stopped = true;
      cancelRetry();
      socket?.close();
      socket = undefined;
    },
  };
}
