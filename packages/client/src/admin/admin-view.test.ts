import { describe, expect, it } from "vitest";
import { adminViewHash, isAdminViewHash } from "./admin-view.ts";

describe("admin page in the address", () => {
  it("is marked in the fragment next to the token and the open sheet", () => {
    expect(isAdminViewHash("#token=abc&view=admin")).toBe(true);
    expect(isAdminViewHash("#token=abc&sheet=requests")).toBe(false);
    expect(adminViewHash("#token=abc&sheet=requests", true)).toBe("#token=abc&sheet=requests&view=admin");
    expect(adminViewHash("#token=abc&view=admin&sheet=requests", false)).toBe("#token=abc&sheet=requests");
    expect(adminViewHash("", false)).toBe("");
  });
});
