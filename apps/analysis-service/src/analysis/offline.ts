import type { ConsultationCallView } from '@dreamseed/contracts';
import { clip, explicitSources, mergeSources, normalizeField, type Field, type Source } from './merge';
import type { AnalysisInput, AnalysisProvider, ProviderResult } from './provider';

/**
 * The offline extractor: deterministic rules, no model. It reads each call as questions and answers. The AI's
 * question says what the founder's answer is about, so the answer (in the founder's own words) becomes the
 * field; words that name enum values (a vibe, a colour, a price level, an entity, a state, a pace) are mapped
 * wherever the founder says them, more firmly in the stage that asks about them. Later calls refine earlier
 * ones, and VAPI's structured data, assessment answers and saved facts join in time order.
 */
export const OFFLINE_PROMPT_VERSION = 'offline-rules-1';

const TEXT_FIELDS = ['whatProblem', 'whoServes', 'howDifferent', 'primaryService', 'businessName', 'businessType', 'timeline', 'packagePreference'] as const;
const ENUM_FIELDS = ['brandVibe', 'colorPreference', 'priceLevel', 'entityType', 'stateOfOperation', 'urgencyLevel'] as const;

/** What a question asks about, in order of precedence for the text fields. */
const TOPICS: [Field, RegExp][] = [
  ['whatProblem', /\b(problem|pain|challenge|frustrat\w*|solve|struggle|what inspired|why did you start|gap)\b/],
  ['howDifferent', /\b(different|difference|stand out|unique|competitors?|alternatives?|sets? you apart|why (would|should) \w+ (choose|pick|come to|use|go with))\b/],
  ['primaryService', /\b(main (service|product|thing|offer\w*)|core (service|product|offer\w*)|(sell|offer|provide)|what exactly)\b/],
  ['whoServes', /\bwho\b.*\b(serv\w*|help\w*|customers?|clients?|audience|for|buy\w*|pay\w*|sell\w* to|work\w* with)\b|\b(target (customers?|audience|market)|ideal (customer|client)s?|audience)\b/],
  ['businessType', /\b(kind of business|type of business|what sort of business|industry)\b/],
  ['businessName', /\b(names?|call it|called)\b/],
  ['timeline', /\b(when|timeline|launch|how soon|open for business|start trading)\b/],
  ['packagePreference', /\b(package|formation plan)\b/],
  ['priceLevel', /\b(price\w*|charge|cost|how much|expensive)\b/],
  ['brandVibe', /\b(brand|feel|vibe|personality|tone|style|look)\b/],
  ['colorPreference', /\b(colou?rs?|palette)\b/],
  ['entityType', /\b(entity|legal (structure|form)|llc|corporation|structure|form the (business|company))\b/],
  ['stateOfOperation', /\b(state|where (will|do|would) you (operate|form|register|be based))\b/],
  ['urgencyLevel', /\b(urgent|urgency|how soon|rush|hurry)\b/],
];

/** Which stage asks about which enum: a cue heard there counts more than a passing word elsewhere. */
const STAGE_OF: Record<(typeof ENUM_FIELDS)[number], number> = {
  priceLevel: 2,
  brandVibe: 3,
  colorPreference: 3,
  entityType: 4,
  stateOfOperation: 4,
  urgencyLevel: 4,
};

/** Sentences that carry a text field when no question pointed at it. */
const SENTENCE_CUES: [Field, RegExp][] = [
  ['whatProblem', /\b(problem|struggle|waste|hard to|difficult|can't|cannot|frustrat\w*|no one|nobody|too expensive|takes too long|lack of|pain)\b/],
  ['whoServes', /\b(our (customers|clients) are|we serve|we help|for (small|busy|local|independent|young|new|working|first-time|busy)\b|people who)\b/],
  ['howDifferent', /\b(unlike|different|the only|unique|first to|better than|nobody else|no one else|instead of)\b/],
  ['primaryService', /\b(we (sell|offer|provide|make|build|run)|our (main|core) (service|product)|the service is|main thing we)\b/],
];

const FILLERS = /^(?:(?:well|so|um+|uh+|hmm+|yeah|yes|okay|ok|oh|honestly|basically|i think|i guess|i mean|right|sure|mostly|i'd say|i would say)[,.!]?\s+)+/i;

function answerText(answer: string): string {
  const trimmed = answer.trim().replace(FILLERS, '');
  const sentences = trimmed.match(/[^.!?]+[.!?]*/g) ?? [trimmed];
  return sentences.slice(0, 2).join(' ').trim();
}

function capitalised(text: string): string | null {
  const quoted = /["“']([^"”']{2,60})["”']/.exec(text);
  if (quoted?.[1]) return quoted[1].trim();
  const decided = /\b(?:call(?:ed)? it|name(?:d)? it|name is|going with|go with|it's called|it will be)\s+([A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,4})/.exec(text);
  if (decided?.[1]) return decided[1];
  const words = /\b([A-Z][\w&'-]+(?:\s+(?:[A-Z][\w&'-]+|&|and|of))*(?:\s+[A-Z][\w&'-]+)?)/.exec(text.replace(/^\s*(?:I|We|An?|The|Maybe|Perhaps|Something like|Probably)\b\s*/, ''));
  return words?.[1]?.trim() ?? null;
}

const TIMELINE = /\b((?:within|in|by|around|over)\s+(?:the\s+)?(?:next\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|a couple of|couple of)\s+(?:weeks?|months?|years?)|(?:by|in|before)\s+(?:the\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|fall|autumn|winter|end of the year|new year)(?:\s+\d{4})?|(?:next|this) (?:week|month|year|spring|summer|fall|autumn|winter)|as soon as possible|asap|right away)\b/i;
const PACKAGE = /\b(basic|starter|standard|premium|pro|complete|deluxe|essential|gold|silver)\s+(?:package|plan|option|tier)\b|\b(?:package|plan)\s+(?:called\s+)?["“]?(basic|starter|standard|premium|pro|complete|deluxe|essential)\b/i;

const packageOf = (match: RegExpExecArray | null) => (match?.[1] ?? match?.[2])?.toLowerCase() ?? null;

function findingsOfCall(call: ConsultationCallView): Source['findings'] {
  const findings: Source['findings'] = {};
  const set = (field: Field, value: string | null, confidence: number, evidence: string) => {
    if (!value) return;
    const current = findings[field];
    if (current && current.confidence > confidence) return;
    findings[field] = { value, confidence, evidence: clip(evidence, 200) };
  };
  const stage = call.callStage ?? 0;
  let question = '';
  const answers: { question: string; text: string }[] = [];
  for (const turn of call.turns) {
    if (turn.role === 'assistant' || turn.role === 'bot') question = turn.content.toLowerCase();
    else if (turn.role === 'user' && turn.content.trim()) answers.push({ question, text: turn.content });
  }
  // No turns recorded: the transcript's lines that are not the AI's.
  if (!answers.length && call.text) {
    for (const line of call.text.split('\n')) {
      const match = /^\s*(ai|assistant|bot|user|customer|founder)\s*:\s*(.+)$/i.exec(line);
      const [, speaker = '', said = ''] = match ?? [];
      if (!said) continue;
      if (/^(ai|assistant|bot)$/i.test(speaker)) question = said.toLowerCase();
      else answers.push({ question, text: said });
    }
  }

  for (const { question: asked, text } of answers) {
    const topics = TOPICS.filter(([, pattern]) => pattern.test(asked)).map(([field]) => field);
    const textTopic = topics.find((field) => (TEXT_FIELDS as readonly string[]).includes(field));
    const answer = answerText(text);
    if (textTopic === 'businessName') {
      const name = capitalised(text);
      const decided = /\b(call(?:ed)? it|name is|going with|go with|it's called|it will be)\b/i.test(text);
      set('businessName', name ? normalizeField('businessName', name) : null, decided ? 0.85 : 0.5, text);
    } else if (textTopic === 'timeline') {
      const phrase = TIMELINE.exec(text)?.[0];
      set('timeline', normalizeField('timeline', phrase ?? answer), phrase ? 0.8 : 0.6, text);
    } else if (textTopic === 'packagePreference') {
      const match = PACKAGE.exec(text);
      set('packagePreference', packageOf(match) ?? normalizeField('packagePreference', answer), match ? 0.85 : 0.5, text);
    } else if (textTopic) {
      set(textTopic, normalizeField(textTopic, answer), 0.8, text);
    }
    for (const field of ENUM_FIELDS) {
      const value = normalizeField(field, text);
      if (!value) continue;
      const confidence = topics.includes(field) ? 0.85 : STAGE_OF[field] === stage ? 0.6 : 0.4;
      set(field, value, confidence, text);
    }
    // Facts said in passing, wherever they come.
    const timeline = TIMELINE.exec(text)?.[0];
    if (timeline) set('timeline', normalizeField('timeline', timeline), 0.6, text);
    const pack = PACKAGE.exec(text);
    if (pack) set('packagePreference', packageOf(pack), 0.7, text);
    for (const [field, pattern] of SENTENCE_CUES) {
      if (findings[field]) continue;
      const sentence = (text.match(/[^.!?]+[.!?]*/g) ?? []).find((s) => pattern.test(s.toLowerCase()));
      if (sentence) set(field, normalizeField(field, answerText(sentence)), 0.45, sentence);
    }
  }
  // VAPI's summary fills what the conversation left open, weakly.
  if (call.summary && !findings.whatProblem && stage === 1) set('whatProblem', normalizeField('whatProblem', call.summary), 0.3, call.summary);
  return findings;
}

export class OfflineExtractor implements AnalysisProvider {
  readonly name = 'offline' as const;
  readonly model = null;
  readonly promptVersion = OFFLINE_PROMPT_VERSION;

  async analyse(input: AnalysisInput): Promise<ProviderResult> {
    const sources: Source[] = input.calls.map((call) => ({
      at: call.endedAt ? Date.parse(call.endedAt) : 0,
      rank: 0,
      label: `call ${call.vapiCallId}`,
      findings: findingsOfCall(call),
    }));
    sources.push(...explicitSources(input));
    const output = mergeSources(sources);
    return {
      output,
      raw: { sources: sources.map(({ label, findings }) => ({ label, fields: Object.keys(findings) })) },
      model: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
    };
  }
}
