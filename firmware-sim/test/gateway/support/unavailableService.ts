/**
 * A missing system service skips its tests loudly on a laptop and fails the run in CI
 * (CI=true or 1), as testkit does for its services: a skipped test in CI would look like a pass.
 */
export function unavailableService(service: string, reason: string, fix: string): void {
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error(
      `${service} unavailable: ${reason}. CI=${process.env.CI}: this fails the run. Fix: ${fix}`,
    );
  }
  const rule = "=".repeat(78);
  console.warn(
    [
      rule,
      `PASSERELLE: ${service} unavailable, its tests are SKIPPED`,
      reason,
      `Fix: ${fix}`,
      rule,
    ].join("\n"),
  );
}
