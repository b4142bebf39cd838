import { writeFileSync } from "node:fs";
import { contractDoc } from "./contractDoc.js";

writeFileSync(new URL("../README.md", import.meta.url), contractDoc());
console.log("protocol/README.md written");
