/** Wraps an async action so every call after the first gets the first call's promise. */
export function onceAsync(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}
