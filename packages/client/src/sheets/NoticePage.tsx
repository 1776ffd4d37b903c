import type { SheetCounts, SheetInfo, Workbook } from "@huzhu/schema";
import { Chip } from "../ui/Chip.tsx";
import { useLiveCounts } from "./use-live-counts.ts";

/** Paragraphs of notice text; a leading 【heading】 is set in bold, as the original sheet did. */
function NoticeBody({ body }: { body: string }) {
  const paragraphs = body.split(/\n\s*\n/).filter((p) => p.trim() !== "");
  if (paragraphs.length === 0) return <p className="hz-muted">这里还没有说明文字。</p>;
  return (
    <div className="hz-notice-body">
      {paragraphs.map((paragraph, i) => {
        const heading = /^【([^】]{1,20})】/.exec(paragraph);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs have no identity but their place.
          <p key={i}>
            {heading && <strong className="hz-notice-heading">{heading[1]}</strong>}
            {heading ? paragraph.slice(heading[0].length) : paragraph}
          </p>
        );
      })}
    </div>
  );
}

/** One sheet's live figures: total rows, then a row of counts per status column. */
function CountsCard({ counts, onOpen }: { counts: SheetCounts; onOpen: () => void }) {
  return (
    <section className="hz-counts-card" data-counts-sheet={counts.sheetId}>
      <header>
        <h3>{counts.sheetName}</h3>
        <span className="hz-counts-total" data-total={counts.total}>
          共 <b>{counts.total}</b> 条
        </span>
        <button type="button" className="hz-link-button" onClick={onOpen}>
          打开表格 →
        </button>
      </header>
      {counts.columns.map(({ column, buckets }) => (
        <div key={column.id} className="hz-counts-row" data-column-id={column.id}>
          <span className="hz-counts-label">{column.label}</span>
          <ul>
            {buckets.map((bucket) => (
              <li
                key={bucket.id ?? "unset"}
                data-option={bucket.id ?? ""}
                data-count={bucket.count}
                className={bucket.count === 0 ? "is-zero" : ""}
              >
                <Chip label={bucket.label} color={bucket.color} />
                <b>{bucket.count}</b>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

interface NoticeProps {
  readonly title: string;
  readonly sheet: SheetInfo;
  readonly onOpenSheet: (id: string) => void;
}

/**
 * The 首页 tab: how the sheet works, and what stands where. `live` marks counts that follow every
 * change (the synced workbook) rather than the figures of the page's first load.
 */
export function NoticePage({ title, sheet, counts, live, onOpenSheet }: NoticeProps & { counts: readonly SheetCounts[]; live: boolean }) {
  return (
    <div className="hz-notice">
      <div className="hz-notice-inner">
        <h1>{title}</h1>
        {counts.length > 0 && (
          <section className="hz-counts" aria-label={live ? "实时统计" : "统计"}>
            <h2>
              {live ? (
                <>
                  实时统计 <span className="hz-live-dot" aria-hidden="true" />
                </>
              ) : (
                "统计（同步中）"
              )}
            </h2>
            {counts.map((c) => (
              <CountsCard key={c.sheetId} counts={c} onOpen={() => onOpenSheet(c.sheetId)} />
            ))}
          </section>
        )}
        <h2>{sheet.name} · 使用说明</h2>
        <NoticeBody body={sheet.body} />
      </div>
    </div>
  );
}

/** The 首页 tab of the synced workbook, its counts kept live. */
export function LiveNoticePage({ workbook, ...props }: NoticeProps & { workbook: Workbook }) {
  return <NoticePage {...props} counts={useLiveCounts(workbook)} live />;
}
