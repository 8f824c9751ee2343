// Long variants of the reliability fuzzers (`npm run test:stress`): the same tests, scaled up by
// environment (override any of these to go further; LENS_FUZZ_SEED replays a run).
process.env.LENS_FUZZ_REQUESTS ??= '100000';
process.env.LENS_FUZZ_DOCS ??= '100000';
process.env.LENS_FUZZ_VERBOSE ??= '1';

/* eslint-disable @typescript-eslint/no-require-imports */
require('../unit/reliability/api-fuzz.test');
require('../unit/reliability/parser-fuzz.test');
