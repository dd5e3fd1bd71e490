import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Labelled {
  label: string;
  /** A stable id for the control, where something links to it (else one is made). */
  id?: string;
  hint?: ReactNode;
  /** What is wrong with the value, shown under it and read with it; the control is marked invalid. */
  error?: string;
}

/** The label, hint and error around one control, the hint and error tied to it for screen readers. */
function Control({ label, hint, error, id: given, children }: Labelled & { children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode }) {
  const made = useId();
  const id = given ?? made;
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
export function Field({ label, hint, error, id, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Control label={label} hint={hint} error={error} id={id}>
      {(tied) => <input {...tied} {...input} />}
    </Control>
  );
}

/** A labelled list of choices; `none` is the words for choosing nothing. */
export function SelectField({
  label,
  hint,
  error,
  id,
  options,
  none,
  ...select
}: Labelled & { options: Record<string, string>; none: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Control label={label} hint={hint} error={error} id={id}>
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

export function TextAreaField({ label, hint, error, id, ...area }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Control label={label} hint={hint} error={error} id={id}>
      {(tied) => <textarea {...tied} {...area} />}
    </Control>
  );
}
