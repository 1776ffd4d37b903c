import { describe, expect, it } from "vitest";
import { phoneKey } from "./duplicates.ts";

describe("phone numbers compared for duplicates", () => {
  it("match however the mainland prefix and grouping are written", () => {
    const keys = ["13800138000", "+86 138 0013 8000", "0086-138-0013-8000", "86 13800138000", "(138) 0013-8000"].map(phoneKey);
    expect(new Set(keys)).toEqual(new Set(["13800138000"]));
  });

  it("keep other numbers apart and ignore what is not a number", () => {
    expect(phoneKey("021-6427 8888")).toBe("02164278888");
    expect(phoneKey("+852 9123 4567")).toBe("0085291234567");
    expect(phoneKey("13800138001")).not.toBe(phoneKey("13800138000"));
    expect(phoneKey("")).toBeNull();
    expect(phoneKey("不知道")).toBeNull();
    expect(phoneKey(null)).toBeNull();
  });
});
