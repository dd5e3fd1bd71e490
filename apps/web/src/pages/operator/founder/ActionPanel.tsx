import { IntentPanel, type IntentPanelProps } from '../IntentPanel';
import { sendAction, type ActionAnswers, type ActionBodies, type ActionName } from '../api';

type Params<N extends ActionName> = Omit<ActionBodies[N], 'reason'>;

export interface ActionPanelProps<N extends ActionName> extends Omit<IntentPanelProps<Params<N>, ActionAnswers[N]>, 'send'> {
  name: N;
  founderId: string;
}

/** One action on a founder (`/admin/api/founders/{id}/actions/…`), as an `IntentPanel`. */
export function ActionPanel<N extends ActionName>({ name, founderId, ...panel }: ActionPanelProps<N>) {
  return <IntentPanel {...panel} send={(body, key) => sendAction(name, founderId, body as ActionBodies[N], key)} />;
}
