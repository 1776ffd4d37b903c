import type { OptionColor, SelectOption } from "../columns/column.ts";

/** Builds options from `[id, label, colour]` triples. */
export function options(...entries: readonly (readonly [string, string, OptionColor?])[]): SelectOption[] {
  return entries.map(([id, label, color = "none"]) => ({ id, label, color }));
}

/** Urgency, as the original sheet marked it with cell colour. */
export const URGENCY = options(["critical", "危急", "red"], ["urgent", "紧急", "orange"], ["high", "较急", "yellow"], ["normal", "一般"]);

export const CATEGORY = options(
  ["medicine", "配药"],
  ["dialysis", "血透", "purple"],
  ["cancer", "癌症肿瘤", "purple"],
  ["mental", "精神心理", "blue"],
  ["maternity", "孕产", "green"],
  ["positive", "阳性收治", "orange"],
  ["emergency", "急症", "red"],
  ["other", "其他", "gray"],
);

/** Shanghai's 16 districts. */
export const DISTRICT = options(
  ["huangpu", "黄浦区"],
  ["xuhui", "徐汇区"],
  ["changning", "长宁区"],
  ["jingan", "静安区"],
  ["putuo", "普陀区"],
  ["hongkou", "虹口区"],
  ["yangpu", "杨浦区"],
  ["minhang", "闵行区"],
  ["baoshan", "宝山区"],
  ["jiading", "嘉定区"],
  ["pudong", "浦东新区"],
  ["jinshan", "金山区"],
  ["songjiang", "松江区"],
  ["qingpu", "青浦区"],
  ["fengxian", "奉贤区"],
  ["chongming", "崇明区"],
);

export const VERIFICATION = options(
  ["pending", "待核实", "yellow"],
  ["verified", "已核实", "green"],
  ["unreachable", "无法联系", "orange"],
  ["incorrect", "信息有误", "red"],
  ["duplicate", "重复", "gray"],
);

export const FOLLOW_UP = options(
  ["todo", "待跟进", "orange"],
  ["inProgress", "跟进中", "blue"],
  ["resolved", "已解决", "green"],
  ["referred", "已转介", "purple"],
  ["closed", "已关闭", "gray"],
);

export const INTAKE = options(
  ["open", "正常接诊", "green"],
  ["limited", "限流", "yellow"],
  ["emergencyOnly", "仅急诊", "orange"],
  ["closed", "停诊", "red"],
  ["noResponse", "无回应", "gray"],
);

export const HOSPITAL_GRADE = options(["grade3a", "三甲"], ["grade3", "三级"], ["grade2", "二级"], ["community", "社区医院"]);

export const CHANNEL_CHECK = options(["verified", "已核实", "green"], ["pending", "待核实", "yellow"], ["invalid", "已失效", "red"]);
