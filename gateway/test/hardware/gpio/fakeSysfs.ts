import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakeChip {
  base: number;
  ngpio: number;
  label: string;
}

/** A /sys/class/gpio look-alike in a temp dir: gpiochipN/{base,ngpio,label} plus export files. */
export async function fakeSysfsGpio(
  chips: FakeChip[],
): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "passerelle-sysfs-gpio-"));
  await writeFile(join(root, "export"), "");
  await writeFile(join(root, "unexport"), "");
  for (const chip of chips) {
    const dir = join(root, `gpiochip${chip.base}`);
    await mkdir(dir);
    await writeFile(join(dir, "base"), `${chip.base}\n`);
    await writeFile(join(dir, "ngpio"), `${chip.ngpio}\n`);
    await writeFile(join(dir, "label"), `${chip.label}\n`);
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** What the sysfs trees of real boards hold (kernel 6.6+ unless said otherwise). */
export const boards = {
  pi4: [
    { base: 512, ngpio: 58, label: "pinctrl-bcm2711" },
    { base: 570, ngpio: 8, label: "raspberrypi-exp-gpio" },
  ],
  pi5: [
    { base: 512, ngpio: 32, label: "gpio-brcmstb@107d508500" },
    { base: 544, ngpio: 4, label: "gpio-brcmstb@107d508520" },
    { base: 548, ngpio: 17, label: "gpio-brcmstb@107d517c00" },
    { base: 565, ngpio: 6, label: "gpio-brcmstb@107d517c20" },
    { base: 571, ngpio: 54, label: "pinctrl-rp1" },
  ],
  pi3OldKernel: [
    { base: 0, ngpio: 54, label: "pinctrl-bcm2835" },
    { base: 128, ngpio: 8, label: "raspberrypi-exp-gpio" },
  ],
  pc: [{ base: 512, ngpio: 32, label: "INT34C6:00" }],
} satisfies Record<string, FakeChip[]>;
