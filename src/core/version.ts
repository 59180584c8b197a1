/** Kept equal to package.json's version (a test checks it), so the core needs no JSON import. */
export const VERSION = '0.1.0';
