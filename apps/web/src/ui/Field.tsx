import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Labelled {
  label: string;
  hint?: ReactNode;
  /** What is wrong with the value, shown under it and read with it; the control is marked invalid. */
  error?: string;
}

/** The label, hint and error around one control, the hint and error tied to it for screen readers. */
function Control({ label, hint, error, children }: Labelled & { children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({ id, 'aria-describedby': describedBy, ...(error ? { 'aria-invalid': true } : {}) })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with an optional hint and error. */
export function Field({ label, hint, error, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Control label={label} hint={hint} error={error}>
      {(tied) => <input {...tied} {...input} />}
    </Control>
  );
}

/** A labelled list of choices; `none` is the words for choosing nothing. */
export function SelectField({
  label,
  hint,
  error,
  options,
  none,
  ...select
}: Labelled & { options: Record<string, string>; none: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Control label={label} hint={hint} error={error}>
      {(tied) => (
        <select {...tied} {...select}>
          <option value="">{none}</option>
          {Object.entries(options).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      )}
    </Control>
  );
}

export function TextAreaField({ label, hint, error, ...area }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Control label={label} hint={hint} error={error}>
      {(tied) => <textarea {...tied} {...area} />}
    </Control>
  );
}
