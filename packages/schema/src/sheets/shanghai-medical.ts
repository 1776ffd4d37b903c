import type { ColumnInput } from "../columns/column.ts";
import { PublicMode, type SheetInput, SheetKind } from "./sheet.ts";
import { CATEGORY, CHANNEL_CHECK, DISTRICT, FOLLOW_UP, HOSPITAL_GRADE, INTAKE, URGENCY, VERIFICATION } from "./options.ts";

const NOTICE = `这是一份由志愿者维护的医疗紧急求助表，供封控期间有就医困难的居民登记求助，并由核实组、跟进组逐条处理。

【如何求助】请打开「求助表单」链接填写：所在区、需求类别、紧急程度和情况描述。电话与地址只有志愿者可见，公开页面不会显示。提交后你会得到一个案件编号和一个私人链接，可随时查看进度、补充信息或撤回。危及生命的情况请先拨打 120。

【如何当志愿者】核实组：逐条电话核实「待核实」的求助，填写核实状态、核实人和时间。跟进组：认领「已核实」的求助，更新跟进状态；解决或关闭后，个人信息会按保留期限自动删除。

【隐私】我们只收集处理求助所必需的信息，结案后删除。请勿在描述或备注中填写身份证号。扫码进群前请核对群聊有效期，谨防诈骗。`;

const requestColumns: ColumnInput[] = [
  { id: "caseNumber", type: "text", label: "编号", system: "caseNumber", width: 100 },
  { id: "submittedAt", type: "dateTime", label: "提交时间", system: "submittedAt", width: 140 },
  { id: "urgency", type: "select", label: "紧急程度", options: URGENCY, inForm: true, required: true, width: 100 },
  { id: "category", type: "select", label: "类别", options: CATEGORY, inForm: true, required: true, width: 110 },
  { id: "district", type: "select", label: "所在区", options: DISTRICT, inForm: true, required: true, width: 110 },
  { id: "street", type: "text", label: "街道/小区", inForm: true },
  {
    id: "description",
    type: "longText",
    label: "需求描述",
    inForm: true,
    required: true,
    width: 280,
    description: "请写清病情、所需药品或治疗、已尝试的途径",
  },
  { id: "patientName", type: "text", label: "患者姓名", private: true, inForm: true, required: true },
  { id: "age", type: "number", label: "年龄", inForm: true, width: 80 },
  { id: "phone", type: "phone", label: "联系电话", private: true, inForm: true, required: true },
  { id: "emergencyContact", type: "text", label: "紧急联系人", private: true, inForm: true, description: "姓名和电话" },
  { id: "address", type: "text", label: "详细地址", private: true, inForm: true },
  { id: "verification", type: "status", label: "核实状态", options: VERIFICATION, width: 110 },
  {
    id: "duplicateOf",
    type: "text",
    label: "疑似重复",
    system: "duplicateOf",
    private: true,
    width: 100,
    description: "电话号码与这条未结案的求助相同（表单提交时由系统填写）",
  },
  { id: "verifier", type: "person", label: "核实人", width: 100 },
  { id: "verifiedAt", type: "dateTime", label: "核实时间" },
  { id: "followUp", type: "status", label: "跟进状态", options: FOLLOW_UP, width: 110 },
  { id: "followUpOwner", type: "person", label: "跟进人", width: 100 },
  { id: "lastFollowUpAt", type: "dateTime", label: "最近跟进" },
  { id: "notes", type: "longText", label: "备注", private: true, width: 220, description: "仅志愿者可见" },
  { id: "chatGroup", type: "chatGroup", label: "群聊" },
];

const channelColumns: ColumnInput[] = [
  { id: "category", type: "select", label: "类别", options: CATEGORY },
  { id: "name", type: "text", label: "渠道名称", width: 180 },
  { id: "offers", type: "longText", label: "提供内容", width: 260 },
  { id: "area", type: "text", label: "服务范围" },
  { id: "contact", type: "text", label: "联系方式" },
  { id: "chatGroup", type: "chatGroup", label: "群聊" },
  { id: "lastCheckedAt", type: "dateTime", label: "最近核实" },
  { id: "verification", type: "status", label: "核实状态", options: CHANNEL_CHECK },
];

const hospitalColumns: ColumnInput[] = [
  { id: "district", type: "select", label: "所在区", options: DISTRICT },
  { id: "name", type: "text", label: "医院", width: 200 },
  { id: "grade", type: "select", label: "等级", options: HOSPITAL_GRADE, width: 90 },
  { id: "intake", type: "status", label: "接诊状态", options: INTAKE, width: 110 },
  { id: "feverClinic", type: "checkbox", label: "发热门诊", width: 90 },
  { id: "dialysis", type: "checkbox", label: "血透", width: 80 },
  { id: "oncology", type: "checkbox", label: "肿瘤", width: 80 },
  { id: "emergency", type: "checkbox", label: "急诊", width: 80 },
  { id: "testRequirement", type: "text", label: "核酸要求" },
  { id: "phone", type: "phone", label: "医院电话" },
  { id: "address", type: "text", label: "医院地址" },
  { id: "lastVerifiedAt", type: "dateTime", label: "最近核实" },
  { id: "notes", type: "longText", label: "备注" },
];

/** The sheets of 〈上海醫療緊急求助〉, rebuilt with typed columns and private fields. */
export const shanghaiMedicalSheets: SheetInput[] = [
  { id: "notice", name: "首页", kind: SheetKind.notice, body: NOTICE, publicMode: PublicMode.all },
  {
    id: "requests",
    name: "求助",
    columns: requestColumns,
    tintColumn: "urgency",
    // The public sees a request once it is verified and until it is closed.
    publicMode: PublicMode.rule,
    publicRule: {
      all: [
        { columnId: "verification", anyOf: ["verified"] },
        { columnId: "followUp", noneOf: ["closed"] },
      ],
    },
  },
  { id: "channels", name: "渠道", columns: channelColumns, publicMode: PublicMode.all },
  { id: "hospitals", name: "医院", columns: hospitalColumns, publicMode: PublicMode.all, tintColumn: "intake" },
];
