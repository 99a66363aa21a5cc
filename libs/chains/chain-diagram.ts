import type { ChainDefinition, StepDefinition, TransitionDefinition } from './chain-definition.schema.js';

export type DiagramLanguage = 'zh' | 'en';

/** The names of the actions the shipped chains use (统一用语); an administrator's own action may carry `name`. */
export const ACTION_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  submit: { zh: '提交审核', en: 'Submit' },
  approve: { zh: '通过', en: 'Approve' },
  return: { zh: '退回', en: 'Return' },
  reject: { zh: '不予通过', en: 'Reject' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  'record-disclosure': { zh: '登记公开', en: 'Record disclosure' },
  lawful: { zh: '合法', en: 'Lawful' },
  unlawful: { zh: '不合法', en: 'Unlawful' },
  revise: { zh: '应当予以修改', en: 'To be revised' },
};

/** A transition's name in `lang`: its own, the shipped one for its action, or the action's key. */
export const actionName = (t: Pick<TransitionDefinition, 'action' | 'name'>, lang: DiagramLanguage): string => (t.name ?? ACTION_NAMES[t.action])?.[lang] ?? t.action;

/**
 * Mermaid stateDiagram source of a chain, with the document's current step highlighted. Steps and
 * edges are named in `lang`. A conditional step (`when`) also gets the edge that passes it over when
 * its condition does not hold: from each step leading into it, straight to where it would lead.
 */
export function toMermaid(definition: ChainDefinition, current?: string, lang: DiagramLanguage = 'zh'): string {
  const id = (key: string) => key.replace(/-/g, '_');
  const label = (text: string) => text.replace(/[:;\n]/g, ' ');
  const order = new Map(definition.steps.map((s, i) => [s.key, i]));
  const steps = new Map(definition.steps.map((s) => [s.key, s]));
  // Where a step leads when it passes: its first transition to a later step (as the compiler reads it).
  const forward = (s: StepDefinition) => s.transitions.find((t) => t.to && (order.get(t.to) ?? -1) > (order.get(s.key) ?? -1))?.to;
  const passingOver = (action: string, step: string) => (lang === 'zh' ? `${action}（不适用${step}时）` : `${action} (when ${step} does not apply)`);
  const lines = ['stateDiagram-v2'];
  for (const s of definition.steps) lines.push(`  ${id(s.key)}: ${label(s.name[lang])}`);
  lines.push(`  [*] --> ${id(definition.initial)}`);
  for (const s of definition.steps) {
    for (const t of s.transitions) {
      const targets = t.returnTo?.length ? t.returnTo : t.to ? [t.to] : [];
      for (const to of targets) {
        lines.push(`  ${id(s.key)} --> ${id(to)}: ${label(actionName(t, lang))}`);
        // Passed over: on along the conditional steps' forward edges to the first step that applies.
        const seen = new Set<string>();
        for (let skipped = steps.get(to); skipped?.when && !seen.has(skipped.key); skipped = steps.get(forward(skipped) ?? '')) {
          seen.add(skipped.key);
          const beyond = forward(skipped);
          if (beyond) lines.push(`  ${id(s.key)} --> ${id(beyond)}: ${label(passingOver(actionName(t, lang), skipped.name[lang]))}`);
        }
      }
    }
    if (s.final) lines.push(`  ${id(s.key)} --> [*]`);
  }
  if (current) {
    lines.push('  classDef current fill:#fde68a,stroke:#b45309,stroke-width:2px');
    lines.push(`  class ${id(current)} current`);
  }
  return lines.join('\n');
}
