// `NODE_OPTIONS=--import <this file>`: a gateway process then loads test/fakes/baileys/fake-baileys.mjs
// wherever it imports `baileys` (kept out of the bundle, so it is resolved at run time).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
