import { DomainError } from "../domain/domainError.js";

/**
 * Who is administering accounts: a coordinator acts on the whole network, a manager only on
 * their centres (docs/api.md "Accounts and invitations").
 */
export interface AccountScope {
  readonly userId: string;
  readonly coordinator: boolean;
  readonly managerOf: readonly string[];
}

export const outsideScope = (message: string, field?: string) =>
  new DomainError("forbidden", message, field);

/** Throws unless the scope covers every one of these centres. */
export function requireCentres(scope: AccountScope, centreIds: readonly string[], field: string) {
  if (scope.coordinator) return;
  const outside = centreIds.filter((id) => !scope.managerOf.includes(id));
  if (outside.length > 0) {
    throw outsideScope(
      `a manager acts only within their centres (not ${outside.join(", ")})`,
      field,
    );
  }
}
