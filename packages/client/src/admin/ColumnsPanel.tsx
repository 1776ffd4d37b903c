import {
  type ColumnId,
  type ColumnType,
  PublicMode,
  type Sheet,
  type SheetColumn,
  SheetKind,
  type Workbook,
  isChoiceColumn,
} from "@huzhu/schema";
import { useState } from "react";
import { ConfirmDialog } from "../ui/Modal.tsx";
import { Switch } from "./Switch.tsx";
import { type WorkbookSettings, applySetting } from "./use-admin-data.ts";

const TYPE_LABELS: Readonly<Record<ColumnType, string>> = {
  text: "文本",
  longText: "长文本",
  number: "数字",
  select: "单选",
  status: "状态",
  dateTime: "日期时间",
  phone: "电话",
  url: "网址",
  chatGroup: "群聊",
  checkbox: "勾选",
  person: "人员",
};

type ColumnPatch = Parameters<Workbook["updateColumn"]>[2];

interface PendingPublic {
  readonly sheet: Sheet;
  readonly column: SheetColumn;
}

function ColumnRow({
  column,
  isFormSheet,
  tints,
  onChange,
  onTint,
  onMakePublic,
}: {
  column: SheetColumn;
  isFormSheet: boolean;
  tints: boolean;
  onChange: (patch: ColumnPatch) => void;
  onTint: (tints: boolean) => void;
  onMakePublic: () => void;
}) {
  const serverWritten = column.system !== null;
  return (
    <tr data-column-id={column.id}>
      <th scope="row">
        <span className="hz-column-name">{column.label}</span>
        <span className="hz-column-type">
          {TYPE_LABELS[column.type]}
          {serverWritten && " · 系统填写"}
        </span>
      </th>
      <td>
        <Switch
          checked={column.private}
          label={`「${column.label}」私密`}
          onChange={(checked) => (checked ? onChange({ private: true }) : onMakePublic())}
        />
      </td>
      <td>{isChoiceColumn(column) && <Switch checked={tints} label={`按「${column.label}」给整行着色`} onChange={onTint} />}</td>
      {isFormSheet && (
        <>
          <td>
            <Switch
              checked={column.inForm}
              disabled={serverWritten}
              title={serverWritten ? "由服务器填写，表单不会询问" : undefined}
              label={`「${column.label}」表单中询问`}
              onChange={(checked) => onChange(checked ? { inForm: true } : { inForm: false, required: false })}
            />
          </td>
          <td>
            <Switch
              checked={column.required}
              disabled={serverWritten || !column.inForm}
              title={!column.inForm ? "先打开「表单中询问」" : undefined}
              label={`「${column.label}」必填`}
              onChange={(checked) => onChange({ required: checked })}
            />
          </td>
        </>
      )}
    </tr>
  );
}

/**
 * Per column of every grid sheet: private (never on the public page), whether its option colours
 * tint whole rows (one column per sheet), asked on the request form, required there. Written
 * through the schema with the admin's origin; the server refuses these writes from anyone but an
 * admin link.
 */
export function ColumnsPanel({ settings, data }: { settings: Workbook; data: WorkbookSettings }) {
  const [pending, setPending] = useState<PendingPublic | null>(null);
  const update = (sheet: Sheet, columnId: ColumnId, patch: ColumnPatch) =>
    applySetting(() => settings.updateColumn(sheet.id, columnId, patch));
  const grids = data.sheets.filter((sheet) => sheet.kind === SheetKind.grid);
  return (
    <div className="hz-admin-columns">
      <p className="hz-admin-intro">
        <b>私密</b>的列只有编辑者和管理员能看到，永远不会出现在公开页面上（电话、姓名、地址都应设为私密）。
        <b>表单中询问</b>和<b>必填</b>决定求助表单问哪些问题。
        <b>整行着色</b>按一列单选或状态的选项颜色给整行上色（如紧急程度），每张表最多一列；首页的统计也先列出这一列。
      </p>
      {grids.map((sheet) => {
        const isFormSheet = sheet.id === data.formSheetId;
        return (
          <section key={sheet.id} className="hz-admin-card" data-sheet-id={sheet.id} aria-label={`「${sheet.name}」的列`}>
            <h3>
              {sheet.name}
              {isFormSheet && <span className="hz-admin-badge">求助表单</span>}
              {sheet.publicMode === PublicMode.none && <span className="hz-admin-badge is-muted">不公开</span>}
            </h3>
            <div className="hz-table-scroll">
              <table className="hz-settings-table">
                <thead>
                  <tr>
                    <th scope="col">列</th>
                    <th scope="col">私密</th>
                    <th scope="col">整行着色</th>
                    {isFormSheet && (
                      <>
                        <th scope="col">表单中询问</th>
                        <th scope="col">必填</th>
                      </>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {sheet.columns.map((column) => (
                    <ColumnRow
                      key={column.id}
                      column={column}
                      isFormSheet={isFormSheet}
                      tints={sheet.tintColumn === column.id}
                      onChange={(patch) => update(sheet, column.id, patch)}
                      onTint={(tints) => applySetting(() => settings.updateSheet(sheet.id, { tintColumn: tints ? column.id : null }))}
                      onMakePublic={() =>
                        sheet.publicMode === PublicMode.none ? update(sheet, column.id, { private: false }) : setPending({ sheet, column })
                      }
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {!isFormSheet && <p className="hz-muted">求助表单只询问「求助」表的列。</p>}
          </section>
        );
      })}
      {pending && (
        <ConfirmDialog
          title="取消私密？"
          message={
            <p>
              取消后，「{pending.sheet.name}」表中公开的行的「{pending.column.label}」会立即显示在公开页面上，任何拿到公开链接的人都能看到。
              电话、姓名、地址等个人信息请保持私密。
            </p>
          }
          confirmLabel="公开这一列"
          onConfirm={() => {
            update(pending.sheet, pending.column.id, { private: false });
            setPending(null);
          }}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
