import { describe, expect, it } from "vitest";
import { parsePasswd } from "../src/systemUser.js";

describe("parsePasswd", () => {
  it("finds a system user's uid and gid", () => {
    const text =
      "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104::/var/lib/postgresql:/bin/bash\n";
    expect(parsePasswd(text, "postgres")).toEqual({ uid: 101, gid: 104 });
    expect(parsePasswd(text, "mosquitto")).toBeUndefined();
  });
});
