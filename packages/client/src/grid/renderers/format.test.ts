import { describe, expect, it } from "vitest";
import { displayPhone, displayUrl, expiryLabel } from "./format.ts";

describe("cell formats", () => {
  it("groups mobile numbers 3-4-4 and leaves others as stored", () => {
    expect(displayPhone("10000000001")).toBe("100 0000 0001");
    expect(displayPhone("+862112345678")).toBe("+862112345678");
  });

  it("links only http(s) addresses, shown without the scheme", () => {
    expect(displayUrl("https://example.org/group/a?x=1")).toEqual({
      href: "https://example.org/group/a?x=1",
      text: "example.org/group/a?x=1",
    });
    expect(displayUrl("javascript:alert(1)")).toBeNull();
    expect(displayUrl("file:///etc/passwd")).toBeNull();
  });

  it("labels expiry as a date or 已过期", () => {
    expect(expiryLabel("2022-04-16T16:00:00.000Z", false, "2022-04-17 00:00")).toBe("04-17 到期");
    expect(expiryLabel("2022-04-16T16:00:00.000Z", true, "2022-04-17 00:00")).toBe("已过期");
    expect(expiryLabel(null, false, "")).toBeNull();
  });
});
