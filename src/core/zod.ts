import * as z from 'zod';

// Every schema in the project imports zod from here, so this runs before any schema is built
// (an object schema reads the setting once, when it is created). zod compiles a parser per
// object schema on its first parse; that pays off over millions of parses, not for a config
// read once and control frames of a few fields, and Workers forbid the compiling anyway.
z.config({ jitless: true });

export * from 'zod';
