/** A full-page message while loading or when the workbook cannot be opened. */
export function StatusScreen({
  title,
  message,
  busy = false,
  onRetry,
}: {
  title: string;
  message: string;
  busy?: boolean;
  onRetry?: () => void;
}) {
  return (
    <div className="hz-status-screen" role={busy ? "status" : "alert"}>
      <div className="hz-status-card">
        <span className="hz-logo is-large" aria-hidden="true">
          互
        </span>
        <h1>{title}</h1>
        <p>{message}</p>
        {busy && <span className="hz-spinner" aria-hidden="true" />}
        {onRetry && (
          <button type="button" className="hz-button is-primary" onClick={onRetry}>
            重试
          </button>
        )}
      </div>
    </div>
  );
}
