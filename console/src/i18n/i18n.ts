import { en } from "./en.js";
import { type Catalogue, fr, type MessageKey } from "./fr.js";

export type Language = "fr" | "en";
/** The languages the console has catalogues for: the only ones it ever offers. */
export const languages: readonly Language[] = ["fr", "en"];
/** Each language in its own words, for a switch or a choice. */
export const languageNames: Record<Language, string> = { fr: "Français", en: "English" };
const catalogues: Record<Language, Catalogue> = { fr, en };
const storageKey = "passerelle.language";

/** French unless the browser or an earlier choice says English (the network is francophone). */
function initialLanguage(): Language {
  if (typeof localStorage === "undefined") return "fr";
  const stored = localStorage.getItem(storageKey);
  if (stored === "fr" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "fr";
}

let current: Language | null = null;
const listeners = new Set<() => void>();

export function language(): Language {
  current ??= initialLanguage();
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLanguageChange(listener: () => void): void {
  listeners.add(listener);
}

/** A message in the current language; `{name}` placeholders are filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[language()][key] ?? fr[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The locale for dates and numbers: Belgian French or British English (24 h, day first). */
export function locale(): string {
  return language() === "fr" ? "fr-BE" : "en-GB";
}
