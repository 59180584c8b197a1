/**
 * A real Ed25519 key pair (WebCrypto), for signing webhooks the way Discord and Telnyx sign
 * them; tests encode the bytes as the platform does (hex for Discord, base64 for Telnyx).
 */
export interface Ed25519Keys {
  /** The raw 32-byte public key. */
  publicKey: Buffer;
  /** The 64-byte signature over `text` (UTF-8). */
  sign(text: string): Promise<Buffer>;
  /** Whether `signature` is this key's signature over `text`: an independent check. */
  verify(signature: Uint8Array<ArrayBuffer>, text: string): Promise<boolean>;
}

export async function createEd25519Keys(): Promise<Ed25519Keys> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const encode = (text: string) => new TextEncoder().encode(text);
  return {
    publicKey: Buffer.from(await crypto.subtle.exportKey('raw', pair.publicKey)),
    sign: async (text) => Buffer.from(await crypto.subtle.sign('Ed25519', pair.privateKey, encode(text))),
    verify: (signature, text) => crypto.subtle.verify('Ed25519', pair.publicKey, signature, encode(text)),
  };
}
