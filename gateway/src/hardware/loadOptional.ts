import { HardwareError } from "./ports.js";

/** The native modules an adapter may need, with what each needs from the system. */
export const optionalModules = {
  "nfc-pcsc": {
    adapter: "pcsc",
    needs:
      "the PC/SC stack: libpcsclite-dev at install (to build @pokusew/pcsclite) and the pcscd " +
      "service at run time (apt-get install libpcsclite-dev pcscd)",
  },
  onoff: {
    adapter: "gpio",
    needs: "Linux sysfs GPIO (/sys/class/gpio), as on Raspberry Pi OS",
  },
  serialport: {
    adapter: "serial-relay",
    needs:
      "a C++ toolchain at install to build @serialport/bindings-cpp (apt-get install build-essential)",
  },
} as const;

export type OptionalModuleName = keyof typeof optionalModules;

/** How a module is imported; tests inject one that fails. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const importModule: ModuleImporter = (specifier) => import(specifier);

const NOT_FOUND_CODES = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

/**
 * Imports an optional native module on first use, so the gateway installs and starts on any
 * machine and loads only what its configured adapters need. A module that is absent, or whose
 * native part failed to build or load, becomes one HardwareError("module-missing") naming the
 * npm package and what the system must provide.
 */
export async function loadOptional<T>(
  name: OptionalModuleName | (string & {}),
  importer: ModuleImporter = importModule,
): Promise<T> {
  try {
    return (await importer(name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const info = (optionalModules as Record<string, { adapter: string; needs: string }>)[name];
    const what = info
      ? `the "${info.adapter}" adapter needs the npm package "${name}", which needs ${info.needs}`
      : `the npm package "${name}" is needed`;
    const why =
      code !== undefined && NOT_FOUND_CODES.has(code)
        ? "it is not installed"
        : `it failed to load (${(error as Error).message})`;
    throw new HardwareError(
      "module-missing",
      `${what}; ${why}. Install it with: npm install ${name} (in the gateway directory).`,
    );
  }
}
