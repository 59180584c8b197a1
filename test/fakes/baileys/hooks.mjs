// Module resolution hook (node:module register): `baileys` -> the fake.
export async function resolve(specifier, context, next) {
  if (specifier === 'baileys')
    return { url: new URL('./fake-baileys.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
