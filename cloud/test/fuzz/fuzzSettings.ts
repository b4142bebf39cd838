/**
 * How hard the fuzz suites push. `npm test` runs them seeded and short (the same inputs on every
 * run, well under a minute in all); `npm run fuzz` sets PASSERELLE_FUZZ_RUNS (and a fresh seed
 * unless PASSERELLE_FUZZ_SEED is given) for a longer search. A failure prints its seed and path
 * so it can be replayed.
 */
export const fuzzRuns = Number(process.env.PASSERELLE_FUZZ_RUNS ?? "") || 0;
export const fuzzSeed = Number(process.env.PASSERELLE_FUZZ_SEED ?? "") || 20261202;

export function runsOr(short: number): number {
  return fuzzRuns > 0 ? fuzzRuns : short;
}
