/**
 * How hard the fuzz suites push. `npm test` runs them seeded and short (the same inputs on every
 * run, a few seconds each); `npm run fuzz` sets PASSERELLE_FUZZ_RUNS for a longer search, with a
 * new seed each time unless PASSERELLE_FUZZ_SEED is given. fast-check prints the seed and path of
 * a failure, so it can be replayed with PASSERELLE_FUZZ_SEED.
 */
export const fuzzRuns = Number(process.env.PASSERELLE_FUZZ_RUNS ?? "") || 0;

export const fuzzSeed =
  Number(process.env.PASSERELLE_FUZZ_SEED ?? "") ||
  (fuzzRuns > 0 ? Date.now() % 2 ** 31 : 20261202);

if (fuzzRuns > 0) console.info(`fuzzing with ${fuzzRuns} runs per property, seed ${fuzzSeed}`);

export function runsOr(short: number): number {
  return fuzzRuns > 0 ? fuzzRuns : short;
}
