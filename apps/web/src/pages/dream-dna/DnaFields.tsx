import type { DreamDna } from '../../api/queries';
import { DNA_FIELDS, quoteFor } from './fields';

/** A version's fields, each with what the founder said that it rests on, when the analysis kept it. */
export function DnaFields({ dna }: { dna: DreamDna }) {
  return (
    <dl className="dna">
      {DNA_FIELDS.map(({ key, label }) => {
        const quote = quoteFor(dna, key);
        return (
          <div key={key} className="dna-field">
            <dt>{label}</dt>
            <dd>{dna[key] ?? <span className="meta">Not known yet: it fills in as we talk.</span>}</dd>
            {quote && (
              <dd className="evidence">
                You said: <q>{quote}</q>
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}
