import type { ColumnDef, ColumnId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "@huzhu/schema";
import { describeActor, describeVia, formatHistory, formatHistoryEntry, formatHistoryValue } from "./history-format.ts";

function column(partial: Partial<ColumnDef> & Pick<ColumnDef, "id" | "type" | "label">): ColumnDef {
  return { private: false, inForm: false, required: false, options: [], system: null, description: "", width: null, ...partial };
}

const verification = column({
  id: "verification" as ColumnId,
  type: "status",
  label: "核实状态",
  options: [
    { id: "pending", label: "待核实", color: "yellow" },
    { id: "verified", label: "已核实", color: "green" },
  ],
});
const phone = column({ id: "phone" as ColumnId, type: "phone", label: "联系电话", private: true });
const verifiedAt = column({ id: "verifiedAt" as ColumnId, type: "dateTime", label: "核实时间" });
const columns = new Map<string, ColumnDef>([verification, phone, verifiedAt].map((c) => [c.id, c]));

function entry(partial: Partial<HistoryEntry>): HistoryEntry {
  return {
    id: 1,
    at: "2022-04-12T01:30:00.000Z",
    actor: "核实组 · 小王",
    via: "edit",
    event: "cell",
    columnId: "verification",
    valuesErased: false,
    ...partial,
  };
}

describe("formatHistoryEntry", () => {
  it("names the column and shows old → new as the grid does (option labels, UTC+8 times)", () => {
    const line = formatHistoryEntry(entry({ before: "pending", after: "verified" }), columns);
    expect(line).toMatchObject({
      who: "核实组 · 小王",
      when: "2022-04-12 09:30",
      via: null,
      what: "核实状态",
      isCell: true,
      before: "待核实",
      after: "已核实",
    });
    const time = formatHistoryEntry(entry({ columnId: "verifiedAt", after: "2022-04-12T16:05:00.000Z" }), columns);
    expect(time).toMatchObject({ before: "（空）", after: "2022-04-13 00:05" });
  });

  it("shows purged values as 「已清除」 and keeps who and when", () => {
    const line = formatHistoryEntry(entry({ columnId: "phone", actor: "form", via: "form-submission", valuesErased: true }), columns);
    expect(line).toMatchObject({ who: "表单", via: "表单提交", what: "联系电话", before: "已清除", after: "已清除", erased: true });
  });

  it("describes row events without values", () => {
    const line = formatHistoryEntry(entry({ event: "trashed", columnId: null, after: "2022-04-12T01:30:00.000Z" }), columns);
    expect(line).toMatchObject({ what: "移到回收站", isCell: false, before: null, after: null });
    expect(formatHistoryEntry(entry({ event: "created", columnId: null, actor: "system", via: "case-numbers" }), columns)).toMatchObject({
      who: "系统",
      via: "自动编号",
      what: "创建了此行",
    });
  });

  it("does not call the retention clock's closing stamp a purge", () => {
    const closed = formatHistoryEntry(entry({ event: "closed", columnId: null, actor: "system", via: "retention" }), columns);
    expect(closed).toMatchObject({ who: "系统", via: null, what: "已结案，开始计算个人信息保留期" });
    const purged = formatHistoryEntry(entry({ columnId: "phone", actor: "system", via: "retention", valuesErased: true }), columns);
    expect(purged).toMatchObject({ via: "到期自动清除", after: "已清除" });
  });

  it("tolerates values a column no longer accepts and columns that were deleted", () => {
    expect(formatHistoryEntry(entry({ before: "no-such-option", after: 42 }), columns)).toMatchObject({
      before: "（空）",
      after: "（空）",
    });
    expect(formatHistoryEntry(entry({ columnId: "gone", before: "a", after: { x: 1 } }), columns)).toMatchObject({
      what: "已删除的列",
      before: "a",
      after: '{"x":1}',
    });
  });
});

describe("history lists and words", () => {
  it("orders newest first", () => {
    const lines = formatHistory([entry({ id: 3 }), entry({ id: 9 }), entry({ id: 5 })], [...columns.values()]);
    expect(lines.map((line) => line.id)).toEqual([9, 5, 3]);
  });

  it("names server writers in Chinese and keeps link labels", () => {
    expect(describeActor("system:restore")).toBe("系统");
    expect(describeActor("form")).toBe("表单");
    expect(describeActor("协调人 · 阿May")).toBe("协调人 · 阿May");
    expect(describeVia("restore")).toBe("从版本恢复");
    expect(describeVia("edit")).toBeNull();
    expect(formatHistoryValue(phone, "13812345678")).toBe("13812345678");
  });
});
