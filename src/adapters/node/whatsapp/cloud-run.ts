import { createWhatsAppCloudAdapter } from '../../../core/channels/whatsapp/adapter';
import { openGraph } from '../../../core/channels/whatsapp/session';
import {
  resolveAppSecret,
  resolveVerifyToken,
  WHATSAPP_WEBHOOK_PATH,
  whatsappConfigOf,
} from '../../../core/channels/whatsapp/settings';
import type { GatewayContext } from '../../../core/context';
import { isGatewayError } from '../../../core/errors';
import { createBackoff } from '../../../core/runtime/backoff';
import type { ChannelRun } from '../channel-run-service';

const BACKOFF_MS = { first: 1_000, max: 60_000 };

/**
 * The Cloud API channel on Node: the adapter is registered at once (spooled replies go out),
 * then the number and token are checked with `GET /{phoneNumberId}` (a refusal is one clear line
 * and status `failed`; network errors are retried). Messages arrive on `POST /whatsapp/webhook`.
 */
export function startWhatsAppCloudRun(
  ctx: Pick<GatewayContext, 'config' | 'env' | 'store' | 'logs' | 'log' | 'clock' | 'channels'>,
): ChannelRun {
  const log = ctx.log.scope('whatsapp');
  ctx.channels.register(createWhatsAppCloudAdapter(ctx));
  const status = (
    state: 'starting' | 'connected' | 'reconnecting' | 'failed' | 'stopped',
    extra: { login?: string; error?: string } = {},
  ) => ctx.channels.setStatus('whatsapp', { state, mode: 'cloud', ...extra });
  status('starting');
  const abort = new AbortController();
  let login: string | undefined;

  const work = (async () => {
    const config = whatsappConfigOf(ctx);
    if (!(await resolveAppSecret(ctx, config)))
      log.warn('no app secret (WHATSAPP_APP_SECRET): the webhook refuses every delivery until one is set');
    if (!(await resolveVerifyToken(ctx, config)))
      log.warn(
        'no verify token (WHATSAPP_VERIFY_TOKEN): Meta cannot verify the webhook URL until one is set',
      );
    const backoff = createBackoff(ctx.clock, BACKOFF_MS);
    while (!abort.signal.aborted) {
      try {
        const { graph } = await openGraph(ctx);
        const phone = await graph.phoneNumber();
        login =
          [phone.displayPhoneNumber, phone.verifiedName && `(${phone.verifiedName})`]
            .filter(Boolean)
            .join(' ') || config.phoneNumberId;
        if (abort.signal.aborted) return;
        log.info(`logged in to whatsapp as ${login}; Meta delivers to ${WHATSAPP_WEBHOOK_PATH}`);
        status('connected', login ? { login } : {});
        return;
      } catch (error) {
        const reason = (error as Error).message;
        if (!isGatewayError(error) || !error.retryable) {
          log.error(`login failed: ${reason}`);
          status('failed', { error: reason });
          return;
        }
        log.warn(`login failed: ${reason}; retrying in ${backoff.delay / 1000} s`);
        status('reconnecting', { error: reason });
        await backoff.wait(abort.signal);
      }
    }
  })().catch((error) => {
    log.error('whatsapp channel failed', error);
    status('failed', { error: (error as Error).message });
  });

  return {
    async stop() {
      abort.abort();
      await work;
      status('stopped', login ? { login } : {});
    },
  };
}
