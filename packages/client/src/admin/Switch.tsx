/** An on/off switch: a real checkbox (keyboard, screen readers) drawn as a slider. */
export function Switch({
  checked,
  label,
  disabled = false,
  title,
  onChange,
}: {
  checked: boolean;
  /** What is switched, for screen readers, e.g. 「联系电话」私密. */
  label: string;
  disabled?: boolean;
  title?: string;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className={`hz-switch${disabled ? " is-disabled" : ""}`} title={title}>
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        aria-checked={checked}
        disabled={disabled}
        aria-label={label}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="hz-switch-track" aria-hidden="true" />
    </label>
  );
}
