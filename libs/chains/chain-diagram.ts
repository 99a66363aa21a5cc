import type { ChainDefinition } from './chain-definition.schema.js';

/** The chain as a Mermaid stateDiagram-v2, the current step (if given) marked with a class. */
export function toMermaid(definition: ChainDefinition, current?: string): string {
  const id = (key: string) => key.replace(/-/g, '_');
  const lines = ['stateDiagram-v2'];
  for (const s of definition.steps) lines.push(`  ${id(s.key)}: ${s.name.zh} / ${s.name.en}`);
  lines.push(`  [*] --> ${id(definition.initial)}`);
  for (const s of definition.steps) {
    for (const t of s.transitions) {
      const targets = t.returnTo?.length ? t.returnTo : t.to ? [t.to] : [];
      for (const to of targets) lines.push(`  ${id(s.key)} --> ${id(to)}: ${t.action}`);
    }
    if (s.final) lines.push(`  ${id(s.key)} --> [*]`);
  }
  if (current) {
    lines.push('  classDef current fill:#fde68a,stroke:#b45309,stroke-width:2px');
    lines.push(`  class ${id(current)} current`);
  }
  return lines.join('\n');
}
