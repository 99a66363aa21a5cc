/**
 * The written outcomes of a legality review (合法性审查: 国办发〔2018〕115号; 国务院令第713号
 * Arts. 25–28), the same in every chain that has one: 合法 leads on to `next`; 应当予以修改 and
 * 不合法 send the draft back to `drafting` with the reviewer's reasons.
 */
export const legalityReviewOutcomes = (next: string, drafting = 'drafting') => [
  { action: 'lawful', to: next, vote: 'for' as const },
  { action: 'revise', to: drafting, commentRequired: true },
  { action: 'unlawful', to: drafting, commentRequired: true },
];
