import { compileChain } from './chain-compiler.js';
import { lintChainDefinition } from './chain-lint.js';

const step = (key: string, extra: object, transitions: object[]) => ({ key, name: { zh: key, en: key }, deadline: { workingDays: 5 }, ...extra, transitions });
const role = (r: string) => ({ role: r, department: 'document' });

/** A two-signer legality review whose outcome `lawful` is declared a vote for. */
function chainWith(review: object) {
  const lint = lintChainDefinition({
    key: 'votes',
    name: { zh: '表决', en: 'Votes' },
    initial: 'draft',
    steps: [
      { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'review', by: role('drafter') }] },
      review,
      { key: 'next', name: { zh: '下一步', en: 'Next' }, final: true, transitions: [] },
    ],
  });
  expect(lint.errors).toEqual([]);
  return compileChain(lint.definition!);
}

describe('signing', () => {
  it('counts a decision declared `vote: for` like an approval: the step moves when both signers said lawful', () => {
    const chain = chainWith(step('review', { assignees: [role('legal-counsel'), role('leader')] }, [
      { action: 'lawful', to: 'next', vote: 'for' },
      { action: 'revise', to: 'draft' },
    ]));
    const review = chain.next(chain.initial(), { type: 'submit' })!;
    const one = chain.next(review, { type: 'lawful', signer: 's0' })!;
    expect(one.stateKey).toBe('review');
    expect(one.context.signing!.slots.map((s) => s.vote ?? null)).toEqual(['for', null]);
    expect(chain.next(one, { type: 'lawful', signer: 's0' })).toBeNull();
    expect(chain.next(one, { type: 'lawful', signer: 's1' })!.stateKey).toBe('next');
    expect(chain.next(one, { type: 'revise', signer: 's1' })!.stateKey).toBe('draft');
  });

  it('或签: the first decision settles the step either way; 依次: only the signer due may decide', () => {
    const any = chainWith(step('review', { assignees: [role('legal-counsel'), role('leader')], signing: 'any' }, [{ action: 'approve', to: 'next' }, { action: 'return', to: 'draft' }]));
    const r1 = any.next(any.initial(), { type: 'submit' })!;
    expect(any.next(r1, { type: 'return', signer: 's1' })!.stateKey).toBe('draft');
    expect(any.next(r1, { type: 'approve', signer: 's0' })!.stateKey).toBe('next');
    const seq = chainWith(step('review', { assignees: [role('legal-counsel'), role('leader')], signing: 'sequence' }, [{ action: 'approve', to: 'next' }]));
    const r2 = seq.next(seq.initial(), { type: 'submit' })!;
    expect(seq.next(r2, { type: 'approve', signer: 's1' })).toBeNull();
    const afterFirst = seq.next(r2, { type: 'approve', signer: 's0' })!;
    expect(afterFirst.stateKey).toBe('review');
    expect(seq.next(afterFirst, { type: 'approve', signer: 's1' })!.stateKey).toBe('next');
  });

  it('加签 before a signer puts the added one first, and the signer decides again after them', () => {
    const chain = chainWith(step('review', { assignee: role('legal-counsel') }, [{ action: 'approve', to: 'next' }]));
    const review = chain.next(chain.initial(), { type: 'submit' })!;
    const added = chain.next(review, { type: 'add-signer', signer: 's0', added: { userId: 'u-1' }, position: 'before' })!;
    expect(added.context.signing!.slots[0].signers.map((s) => s.id)).toEqual(['a1', 's0']);
    expect(chain.next(added, { type: 'approve', signer: 's0' })).toBeNull();
    const afterAdded = chain.next(added, { type: 'approve', signer: 'a1' })!;
    expect(afterAdded.stateKey).toBe('review');
    expect(chain.next(afterAdded, { type: 'approve', signer: 's0' })!.stateKey).toBe('next');
  });
});
