/**
 * The one spelling of a login identifier (an e-mail address): Unicode NFC, no surrounding
 * whitespace, lower case. Used where addresses are stored, looked up at login and counted by the
 * login throttle, so " Ann@Example.org" and "ann@example.org" are one account everywhere (a
 * throttle keyed on another spelling than the lookup gives each spelling its own tries).
 */
export function normaliseLoginIdentifier(text: string): string {
  return text.normalize("NFC").trim().toLowerCase();
}
