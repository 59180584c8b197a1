import type { StaticAsset, StaticAssets } from '../../core/runtime/assets';

/** The Workers static-assets binding (`[assets] binding = "ASSETS"` in wrangler.toml). */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/**
 * The Control UI's files from the assets binding, so the same handler serves them with the same
 * headers as on Node. `html_handling` would rewrite `index.html`, so the file is asked for by name.
 */
export function assetsFromBinding(binding: AssetsBinding): StaticAssets {
  return {
    async get(name): Promise<StaticAsset | undefined> {
      const response = await binding.fetch(new Request(`https://assets.local/${name}`));
      if (!response.ok) return undefined;
      const body = new Uint8Array(await response.arrayBuffer());
      return {
        body,
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        etag: response.headers.get('etag') ?? `"${body.length}"`,
        immutable: name !== 'index.html',
      };
    },
  };
}
