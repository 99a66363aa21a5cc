import { readFileSync } from 'node:fs';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { missingSections, type SectionRequirement } from './content-check.js';

const sections = (annualReportChain.steps[0].transitions[0] as { requires: { sections: SectionRequirement[] } }).requires.sections;
const sample = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');

describe('the annual report content check', () => {
  it('finds all four mandated sections in both seed reports', () => {
    expect(missingSections(sample('city-sti-bureau-2022.txt'), sections)).toEqual([]);
    expect(missingSections(sample('shapingba-sti-bureau-2022.txt'), sections)).toEqual([]);
  });

  it('names what is missing, and reads a heading only up to its first 。', () => {
    const withoutShortcomings = sample('shapingba-sti-bureau-2022.txt')
      .split('\n')
      .filter((l) => !l.includes('不足和原因'))
      .join('\n');
    expect(missingSections(withoutShortcomings, sections).map((s) => s.key)).toEqual(['shortcomings']);
    expect(missingSections('一、工作总结。下一年度主要安排见附件', sections).map((s) => s.key)).toEqual(['measures', 'first-responsible', 'shortcomings', 'plans']);
    expect(missingSections('正文提到主要举措、第一责任人、不足、下一年度，但没有标题', sections)).toHaveLength(4);
  });
});
