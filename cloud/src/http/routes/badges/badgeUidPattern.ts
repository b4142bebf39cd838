/**
 * A card UID as a desk reader types it: hex digits, optionally grouped by ":", " " or "-"
 * ("04:A1:B2:C3", "04 a1 b2 c3"), starting and ending with a digit. Valid under the `u` flag
 * (ajv, the API) and the `v` flag (HTML `pattern`, the console): "-" is escaped in the class.
 * Without anchors: the HTML attribute anchors it itself; the API schema adds ^ and $.
 */
export const badgeUidPattern = "[0-9A-Fa-f](?:[0-9A-Fa-f]|[:\\s\\-](?=[0-9A-Fa-f]))*";
