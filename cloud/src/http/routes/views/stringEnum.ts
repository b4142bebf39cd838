import { type TUnsafe, Type } from "@sinclair/typebox";

/**
 * A string from a fixed list, as one JSON Schema `enum`: a wrong value gets one clear error
 * ("must be equal to one of the allowed values") where a union of literals gives one per member.
 */
export const StringEnum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({
    type: "string",
    enum: [...values],
    ...(description ? { description } : {}),
  }) as TUnsafe<T>;
