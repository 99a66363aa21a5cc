import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ChainDefinition } from './chain-definition.schema.js';

export interface LintIssue {
  path: string;
  reason: string;
}

export interface LintResult {
  valid: boolean;
  errors: LintIssue[];
  warnings: LintIssue[];
  definition?: ChainDefinition;
}

function flatten(errors: ValidationError[], parent = ''): LintIssue[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ path, reason }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** Schema validation, then the structural checks a schema cannot express. */
export function lintChainDefinition(raw: unknown): LintResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { valid: false, errors: [{ path: '', reason: 'a chain definition must be a JSON object' }], warnings: [] };
  }
  const definition = plainToInstance(ChainDefinition, raw);
  const errors = flatten(validateSync(definition, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (errors.length) return { valid: false, errors, warnings: [] };
  const warnings: LintIssue[] = [];
  const index = new Map<string, number>();
  definition.steps.forEach((s, i) => {
    if (index.has(s.key)) errors.push({ path: `steps[${i}].key`, reason: `duplicate step key "${s.key}"` });
    else index.set(s.key, i);
  });
  (definition.milestones ?? []).forEach((m, i) => {
    if (!index.has(m.step)) errors.push({ path: `milestones[${i}].step`, reason: `no step "${m.step}"` });
  });
  if (!index.has(definition.initial)) errors.push({ path: 'initial', reason: `no step "${definition.initial}"` });
  definition.steps.forEach((s, i) => {
    if (s.final && s.transitions.length) errors.push({ path: `steps[${i}].transitions`, reason: 'a final step has no transitions' });
    if (!s.final && !s.transitions.some((t) => t.to)) errors.push({ path: `steps[${i}]`, reason: 'dead end: a step that is not final must lead somewhere' });
    const actions = new Set<string>();
    s.transitions.forEach((t, j) => {
      const at = `steps[${i}].transitions[${j}]`;
      if (actions.has(t.action)) errors.push({ path: `${at}.action`, reason: `duplicate action "${t.action}" in step "${s.key}"` });
      actions.add(t.action);
      if (t.to !== undefined && !index.has(t.to)) errors.push({ path: `${at}.to`, reason: `no step "${t.to}"` });
      if (!t.by && !s.assignee) errors.push({ path: `${at}.by`, reason: 'a decision needs an assignee on its step, or name who acts in "by"' });
      (t.returnTo ?? []).forEach((r, k) => {
        const target = index.get(r);
        if (target === undefined) errors.push({ path: `${at}.returnTo[${k}]`, reason: `no step "${r}"` });
        else if (target >= i) errors.push({ path: `${at}.returnTo[${k}]`, reason: `"${r}" is not an earlier step` });
      });
      if (t.returnTo && t.to && !t.returnTo.includes(t.to)) errors.push({ path: `${at}.returnTo`, reason: `must include the default target "${t.to}"` });
    });
  });
  if (!errors.length) {
    const reached = new Set([definition.initial]);
    const queue = [definition.initial];
    while (queue.length) {
      const step = definition.steps[index.get(queue.shift()!)!];
      for (const t of step.transitions) {
        for (const target of [t.to, ...(t.returnTo ?? [])]) {
          if (target && !reached.has(target)) reached.add(target), queue.push(target);
        }
      }
    }
    definition.steps.forEach((s, i) => {
      if (!reached.has(s.key)) errors.push({ path: `steps[${i}]`, reason: `unreachable step "${s.key}"` });
    });
    if (!definition.steps.some((s) => s.final)) errors.push({ path: 'steps', reason: 'the chain has no final step' });
    definition.steps.forEach((s, i) => {
      const timers: [string, object | undefined, string[]][] = [
        [`steps[${i}].deadline`, s.deadline, ['workingDays', 'calendarDays', 'before', 'seconds']],
        ...(s.reminders ?? []).map((r, j): [string, object, string[]] => [`steps[${i}].reminders[${j}]`, r, ['workingDaysBefore', 'secondsBefore']]),
        [`steps[${i}].escalation`, s.escalation, ['afterWorkingDays', 'afterSeconds']],
        [`steps[${i}].escalation.then`, s.escalation?.then, ['afterWorkingDays', 'afterSeconds']],
      ];
      for (const [path, spec, units] of timers) {
        if (!spec) continue;
        const given = units.filter((u) => (spec as Record<string, unknown>)[u] !== undefined);
        const optional = path.includes('escalation');
        if (given.length > 1 || (!optional && given.length === 0)) errors.push({ path, reason: `give exactly one of ${units.join(', ')}` });
      }
      if ((s.reminders?.length || s.escalation) && !s.deadline) errors.push({ path: `steps[${i}].deadline`, reason: 'reminders and escalation need a deadline' });
      if ((s.deadline || s.reminders?.length || s.escalation) && !s.assignee) errors.push({ path: `steps[${i}].assignee`, reason: 'timers run on a step with an assignee' });
      const then = s.escalation?.then;
      if (then && !s.transitions.some((t) => t.action === then.action && !t.by)) {
        errors.push({ path: `steps[${i}].escalation.then.action`, reason: `"${then.action}" is not a decision of step "${s.key}"` });
      } else if (then && s.transitions.find((t) => t.action === then.action)?.commentRequired && !then.comment) {
        errors.push({ path: `steps[${i}].escalation.then.comment`, reason: `"${then.action}" needs a comment` });
      }
    });
    definition.steps.forEach((s, i) => {
      if (s.assignee && !s.deadline) warnings.push({ path: `steps[${i}].deadline`, reason: `step "${s.key}" has no deadline` });
    });
  }
  return errors.length ? { valid: false, errors, warnings } : { valid: true, errors, warnings, definition };
}
