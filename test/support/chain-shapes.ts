/**
 * Chain definitions shaped to load the lint: many seats, many steps, conditions on many fields.
 * Shared by the lint's tests and its benchmark.
 */
const name = (k: string) => ({ zh: k, en: k });
const counsel = { role: 'legal-counsel', department: 'document' } as const;
const drafter = { role: 'drafter', department: 'document' } as const;

/** draft → one step of `seats` counsel seats (会签, or `threshold` of them) → done. */
export function countersignChain(seats: number, threshold?: number) {
  return {
    key: 'countersign-load',
    name: name('会签'),
    initial: 'draft',
    steps: [
      { key: 'draft', name: name('起草'), editable: true, transitions: [{ action: 'submit', to: 'vote', by: drafter }] },
      {
        key: 'vote',
        name: name('会签'),
        assignees: Array.from({ length: seats }, () => ({ ...counsel })),
        ...(threshold ? { threshold } : {}),
        deadline: { workingDays: 5 },
        transitions: [{ action: 'approve', to: 'done' }, { action: 'return', to: 'draft', commentRequired: true }],
      },
      { key: 'done', name: name('完成'), final: true, transitions: [] },
    ],
  };
}

/**
 * `steps` steps in a row, every one after the first conditional on two of `fields` boolean fields,
 * each able to return to any of the five before it.
 */
export function conditionalChain(steps: number, fields: number) {
  const keys = Array.from({ length: steps }, (_, i) => `s${i}`);
  return {
    key: 'conditional-load',
    name: name('条件'),
    initial: 's0',
    fields: Array.from({ length: fields }, (_, i) => ({ key: `f${i}`, name: name(`f${i}`), type: 'boolean' })),
    steps: keys.map((key, i) => {
      if (i === steps - 1) return { key, name: name(key), final: true, transitions: [] };
      if (i === 0) return { key, name: name(key), editable: true, transitions: [{ action: 'submit', to: keys[1], by: drafter }] };
      return {
        key,
        name: name(key),
        assignee: counsel,
        deadline: { workingDays: 3 },
        ...(fields ? { when: { any: [{ field: `f${i % fields}`, value: true }, { field: `f${(i + 1) % fields}`, value: false }] } } : {}),
        transitions: [
          { action: 'approve', to: keys[i + 1] },
          { action: 'return', to: 's0', returnTo: keys.slice(Math.max(0, i - 5), i).reverse().concat(i > 5 ? ['s0'] : []).filter((k, j, all) => all.indexOf(k) === j) },
        ],
      };
    }),
  };
}

/**
 * As much lint work as the hard limits allow: about 100 steps of 100 counsel seats, each a vote
 * with its own threshold, so no two steps' countersigns are alike (the most positions to walk).
 */
export function worstCaseChain() {
  const steps = 100;
  const keys = Array.from({ length: steps }, (_, i) => `s${i}`);
  return {
    key: 'worst-case',
    name: name('最坏'),
    initial: 's0',
    steps: keys.map((key, i) => {
      if (i === steps - 1) return { key, name: name(key), final: true, transitions: [] };
      if (i === 0) return { key, name: name(key), transitions: [{ action: 'submit', to: keys[1], by: drafter }] };
      return {
        key,
        name: name(key),
        assignees: Array.from({ length: 100 }, () => ({ role: 'legal-counsel' })),
        threshold: 30 + (i % 41),
        transitions: [{ action: 'approve', to: keys[i + 1] }, { action: 'return', to: 's0' }],
      };
    }),
  };
}
