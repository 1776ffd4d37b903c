import { PublicMode, type PublicRule, type Sheet, SheetKind, type SheetPatch, type Workbook } from "@huzhu/schema";
import { Chip } from "../ui/Chip.tsx";
import {
  ConditionMode,
  conditionFor,
  countPublicRows,
  describeRule,
  orphanConditions,
  recommendedRule,
  ruleColumns,
  sameRule,
  toggleOption,
  withCondition,
} from "./public-rule.ts";
import { type WorkbookSettings, applySetting, useSheetRows } from "./use-admin-data.ts";

const MODE_LABELS: Readonly<Record<ConditionMode, string>> = {
  any: "不限",
  anyOf: "只公开选中的",
  noneOf: "不公开选中的",
};

/** Which rows of a grid sheet are public: the rule's conditions, one per select or status column. */
function RuleEditor({ sheet, onRule }: { sheet: Sheet; onRule: (rule: PublicRule) => void }) {
  const rule = sheet.publicRule;
  const recommended = recommendedRule(sheet);
  const orphans = orphanConditions(rule, sheet);
  return (
    <div className="hz-rule">
      <p className="hz-rule-summary">当前规则：{describeRule(rule, sheet)}</p>
      {recommended && !sameRule(recommended, rule) && (
        <button type="button" className="hz-link-button" onClick={() => onRule(recommended)}>
          使用推荐规则：已核实且未关闭
        </button>
      )}
      {ruleColumns(sheet).map((column) => {
        const condition = conditionFor(rule, column.id);
        return (
          <div key={column.id} className="hz-rule-row" data-rule-column={column.id}>
            <label className="hz-rule-column">
              <span>{column.label}</span>
              <select
                value={condition.mode}
                aria-label={`「${column.label}」的条件`}
                onChange={(e) =>
                  onRule(withCondition(rule, column.id, { mode: e.target.value as ConditionMode, options: condition.options }))
                }
              >
                {Object.values(ConditionMode).map((mode) => (
                  <option key={mode} value={mode}>
                    {MODE_LABELS[mode]}
                  </option>
                ))}
              </select>
            </label>
            {condition.mode !== ConditionMode.any && (
              <div className="hz-rule-options">
                {column.options.map((option) => (
                  <label key={option.id} className={`hz-rule-option${condition.options.includes(option.id) ? " is-chosen" : ""}`}>
                    <input
                      type="checkbox"
                      checked={condition.options.includes(option.id)}
                      onChange={() => onRule(toggleOption(rule, column.id, option.id))}
                    />
                    <Chip label={option.label} color={option.color} />
                  </label>
                ))}
              </div>
            )}
          </div>
        );
      })}
      {orphans.length > 0 && (
        <p className="hz-form-error">
          规则中有 {orphans.length} 个条件指向已删除的列，因此没有行公开。
          <button type="button" className="hz-link-button" onClick={() => onRule({ all: rule.all.filter((c) => !orphans.includes(c)) })}>
            移除这些条件
          </button>
        </p>
      )}
    </div>
  );
}

function SheetPublicCard({ workbook, settings, sheet }: { workbook: Workbook; settings: Workbook; sheet: Sheet }) {
  const rows = useSheetRows(workbook, sheet.id);
  const write = (patch: SheetPatch) => applySetting(() => settings.updateSheet(sheet.id, patch));
  const grid = sheet.kind === SheetKind.grid;
  const shown =
    sheet.publicMode === PublicMode.none
      ? 0
      : sheet.publicMode === PublicMode.all
        ? rows.length
        : countPublicRows(sheet.publicRule, sheet, rows);
  const modes = grid ? [PublicMode.none, PublicMode.all, PublicMode.rule] : [PublicMode.none, PublicMode.all];
  const modeLabel = (mode: PublicMode) =>
    mode === PublicMode.none ? "不公开" : mode === PublicMode.all ? (grid ? "公开全部行" : "公开") : "按条件公开部分行";
  const choose = (mode: PublicMode) => {
    // An empty rule would publish every row: start a rule from the recommendation when there is one.
    const start = mode === PublicMode.rule && sheet.publicRule.all.length === 0 ? recommendedRule(sheet) : null;
    write(start ? { publicMode: mode, publicRule: start } : { publicMode: mode });
  };
  const hidden = sheet.columns.filter((c) => c.private);
  return (
    <section className="hz-admin-card" data-public-sheet={sheet.id} aria-label={`「${sheet.name}」的公开范围`}>
      <h3>
        {sheet.name}
        {grid && sheet.publicMode !== PublicMode.none && (
          <span className="hz-admin-badge" data-public-count={shown}>
            公开 {shown} / {rows.length} 行
          </span>
        )}
        {sheet.publicMode === PublicMode.none && <span className="hz-admin-badge is-muted">不公开</span>}
      </h3>
      <div className="hz-public-modes" role="radiogroup" aria-label={`「${sheet.name}」公开方式`}>
        {modes.map((mode) => (
          <label key={mode} className={`hz-pill${sheet.publicMode === mode ? " is-chosen" : ""}`}>
            <input
              type="radio"
              name={`public-${sheet.id}`}
              value={mode}
              checked={sheet.publicMode === mode}
              onChange={() => choose(mode)}
            />
            {modeLabel(mode)}
          </label>
        ))}
      </div>
      {grid && sheet.publicMode === PublicMode.rule && <RuleEditor sheet={sheet} onRule={(publicRule) => write({ publicRule })} />}
      {grid && sheet.publicMode !== PublicMode.none && hidden.length > 0 && (
        <p className="hz-muted">公开页面不显示私密列：{hidden.map((c) => c.label).join("、")}。</p>
      )}
    </section>
  );
}

/** Per sheet: public or not, and for grids which rows (all, or those passing a rule). */
export function PublicPanel({ workbook, settings, data }: { workbook: Workbook; settings: Workbook; data: WorkbookSettings }) {
  return (
    <div className="hz-admin-public">
      <p className="hz-admin-intro">公开页面只显示这里公开的工作表和行，并且永远不含私密列。修改会在一秒内出现在公开页面上。</p>
      {data.sheets.map((sheet) => (
        <SheetPublicCard key={sheet.id} workbook={workbook} settings={settings} sheet={sheet} />
      ))}
    </div>
  );
}
