/**
 * The badge UID pattern of the API (cloud badgeUidPattern.ts), as an HTML `pattern`: browsers
 * compile it with the `v` flag, where a bare "-" in a class is a syntax error and the whole
 * attribute is ignored (the server's raw pattern message then reached the person). The unit
 * test checks this copy equals the API's and compiles with `v`.
 */
export const badgeUidPattern = "[0-9A-Fa-f](?:[0-9A-Fa-f]|[:\\s\\-](?=[0-9A-Fa-f]))*";
