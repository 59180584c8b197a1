/** One static file of the Control UI, in memory once read. */
export interface StaticAsset {
  body: Uint8Array;
  /** The same bytes gzip-compressed, when the adapter prepared them. */
  gzip?: Uint8Array;
  contentType: string;
  /** A strong validator for `If-None-Match`. */
  etag: string;
  /** Content-hashed file names never change: cache them for a year. */
  immutable: boolean;
}

/**
 * Where the Control UI's built files come from: `dist/ui/` read by the Node adapter, a bundle
 * binding on Workers. Names are flat (`index.html`, `app-3F2A1B9C.js`).
 */
export interface StaticAssets {
  get(name: string): StaticAsset | undefined | Promise<StaticAsset | undefined>;
}
