/**
 * What a secret looks like in anything the gateway shows; sent back unchanged, it keeps the stored
 * value. Its own module so the Control UI can import it at run time without the redaction code.
 */
export const REDACTED = '__redacted__';
