import { base64ToBytes } from '../../base64';

/** Telnyx refuses nothing older; neither do we: a signed webhook is good for 5 minutes. */
export const TELNYX_TOLERANCE_SECONDS = 300;

export type TelnyxVerifyResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'bad-key' | 'bad-signature' | 'stale' };

export interface TelnyxVerifyInput {
  /** The account's public key: base64 of the raw 32-byte Ed25519 key (or of its SPKI DER form). */
  publicKey: string;
  signature: string | null;
  timestamp: string | null;
  /** The raw body exactly as received. */
  body: string;
  nowMs: number;
  toleranceSeconds?: number;
}

/**
 * Checks `telnyx-signature-ed25519`: an Ed25519 signature over `timestamp|body`, with the
 * `telnyx-timestamp` (Unix seconds) no further than 5 minutes from now, so a captured webhook
 * cannot be replayed later. https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
 */
export async function verifyTelnyxSignature(input: TelnyxVerifyInput): Promise<TelnyxVerifyResult> {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing' };
  const key = await importPublicKey(input.publicKey);
  if (!key) return { ok: false, reason: 'bad-key' };
  const signature = base64ToBytes(input.signature);
  if (signature?.length !== 64 || !/^\d{1,12}$/.test(input.timestamp.trim())) {
    return { ok: false, reason: 'bad-signature' };
  }
  const data = new TextEncoder().encode(`${input.timestamp.trim()}|${input.body}`);
  const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data);
  if (!valid) return { ok: false, reason: 'bad-signature' };
  const skew = Math.abs(input.nowMs / 1000 - Number(input.timestamp));
  if (skew > (input.toleranceSeconds ?? TELNYX_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  return { ok: true };
}

const keys = new Map<string, Promise<CryptoKey | undefined>>();

function importPublicKey(text: string): Promise<CryptoKey | undefined> {
  let key = keys.get(text);
  if (!key) {
    key = (async () => {
      const bytes = base64ToBytes(text.replace(/-----[^-]+-----|\s/g, ''));
      if (!bytes || (bytes.length !== 32 && bytes.length !== 44)) return undefined;
      const format = bytes.length === 32 ? 'raw' : 'spki';
      return crypto.subtle
        .importKey(format, bytes, { name: 'Ed25519' }, false, ['verify'])
        .catch(() => undefined);
    })();
    if (keys.size > 8) keys.clear();
    keys.set(text, key);
  }
  return key;
}
