import fc from "fast-check";

/** Texts that broke or could break a route: NUL, non-finite numbers, odd Unicode, long ones. */
export const nastyText = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "NaN",
    "-1",
    "0",
    "1.5",
    "9007199254740993",
    "",
    " ",
    "null",
    "true",
    "[]",
    "{}",
    "../../etc/passwd",
    "'; DROP TABLE users; --",
    "2026-02-30T25:61:00Z",
    "2026-03-01",
    "\uD800",
    "\uFEFF",
    "%",
    "%E0%A4%A",
    "a".repeat(300),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);

/** encodeURIComponent that does not throw on a lone surrogate (it sends its UTF-8 bytes as is). */
export function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, "")) + "%ED%A0%80";
  }
}

/** A JSON body: any JSON, or an object with plausible property names and nasty values. */
export function badBody(propertyNames: readonly string[]) {
  const names = propertyNames.length > 0 ? fc.constantFrom(...propertyNames) : fc.string();
  const value = fc.oneof(
    nastyText,
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.array(nastyText, { maxLength: 3 }),
    fc.constant(Number.MAX_VALUE),
  );
  return fc.oneof(
    fc.dictionary(names, value, { maxKeys: 6 }).map((object) => JSON.stringify(object)),
    fc.jsonValue({ maxDepth: 3 }).map((json) => JSON.stringify(json)),
    fc.constantFrom(
      "{",
      '{"a":',
      '{"limit":1e400,"name":-1e400}',
      "not json",
      "[1,2",
      '{"email":"x"}garbage',
      '"\\u0000"',
      "1e400",
    ),
  );
}

/** A query string from known and unknown names with nasty values (sometimes not encoded). */
export function badQuery(parameterNames: readonly string[]) {
  const names = fc.constantFrom(...parameterNames, "limit", "cursor", "x");
  return fc
    .array(fc.tuple(names, nastyText, fc.boolean()), { maxLength: 4 })
    .map((pairs) =>
      pairs
        .map(
          ([name, value, raw]) =>
            `${name}=${raw ? value.replace(/[#&\s]/g, "") : encodeLoosely(value)}`,
        )
        .join("&"),
    );
}

/** A path parameter: encoded nasty text, or raw malformed percent-encoding. */
export const badPathParameter = fc.oneof(
  nastyText.map((text) => encodeLoosely(text) || "x"),
  fc.constantFrom("%00", "%E0%A4%A", "%zz", "%", ".."),
);
