/**
 * How people leave through a door: the bundle door's `exitKind` (protocol/README.md, "Presence:
 * exits, headcount, sessions"):
 * - `exit-reader`: a reader inside; people badge to leave (the gateway knows who left);
 * - `exit-button`: a request-to-exit button, then the door opens and closes (anonymous exit);
 * - `free-egress`: a lever handle, the door contact only (anonymous exit).
 */
export { type ExitKind, exitKinds } from "@passerelle/protocol";
