import { describe, expect, it } from "vitest";
import { loadOptional } from "../../src/hardware/loadOptional.js";
import { HardwareError } from "../../src/hardware/ports.js";

const notFound = (name: string) => async () => {
  throw Object.assign(new Error(`Cannot find package '${name}'`), { code: "ERR_MODULE_NOT_FOUND" });
};

describe("loadOptional", () => {
  it("turns a module that does not exist into one module-missing error", async () => {
    const failure = loadOptional("passerelle-no-such-module-4711");
    await expect(failure).rejects.toBeInstanceOf(HardwareError);
    await expect(failure).rejects.toMatchObject({
      code: "module-missing",
      message: expect.stringMatching(
        /"passerelle-no-such-module-4711".*not installed.*npm install/,
      ),
    });
  });

  it("names the system needs of each known native module", async () => {
    const needs = {
      "nfc-pcsc": /"pcsc" adapter.*libpcsclite-dev.*pcscd/,
      onoff: /"gpio" adapter.*sysfs GPIO/,
      serialport: /"serial-relay" adapter.*C\+\+ toolchain/,
    } as const;
    for (const [name, pattern] of Object.entries(needs)) {
      await expect(loadOptional(name, notFound(name))).rejects.toMatchObject({
        code: "module-missing",
        message: expect.stringMatching(pattern),
      });
    }
  });

  it("says a module failed to load when its native part is broken", async () => {
    const broken = async () => {
      throw new Error("libpcsclite.so.1: cannot open shared object file");
    };
    await expect(loadOptional("nfc-pcsc", broken)).rejects.toMatchObject({
      code: "module-missing",
      message: expect.stringMatching(/failed to load \(libpcsclite\.so\.1: cannot open/),
    });
  });

  it("returns the module when it loads", async () => {
    const module = await loadOptional<{ join: unknown }>("node:path");
    expect(typeof module.join).toBe("function");
  });
});
