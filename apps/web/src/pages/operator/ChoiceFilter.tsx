import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A number the page is filtered by, kept in the address (`?<name>=`) so that a filtered page can be linked to: one
 * of `choices`, else `fallback`, which the address leaves out.
 */
export function useChoiceParam(name: string, choices: readonly number[], fallback: number) {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get(name));
  const value = choices.includes(asked) ? asked : fallback;
  return { value, show: (next: number) => setParams(next === fallback ? {} : { [name]: String(next) }) };
}

/** A form choosing one of `choices` (each in `words`), applied with its button. */
export function ChoiceFilter(props: { id: string; label: string; value: number; choices: readonly number[]; words: (n: number) => string; onShow: (n: number) => void }) {
  const [chosen, setChosen] = useState(String(props.value));
  function show(event: FormEvent) {
    event.preventDefault();
    props.onShow(Number(chosen));
  }
  return (
    <form className="inline-form" onSubmit={show}>
      <div className="field">
        <label htmlFor={props.id}>{props.label}</label>
        <select id={props.id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {props.choices.map((n) => (
            <option key={n} value={n}>
              {props.words(n)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Show</button>
    </form>
  );
}
