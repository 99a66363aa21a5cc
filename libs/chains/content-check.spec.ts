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

  // The web UI's template: each heading followed only by a line asking for its content.
  const template = [
    '2025年度法治政府建设情况报告',
    '',
    '一、2025年度推进法治政府建设的主要举措和成效',
    '（请写明本年度推进法治政府建设的主要举措和取得的成效。）',
    '',
    '二、党政主要负责人履行推进法治建设第一责任人职责情况',
    '（请写明主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况。）',
    '',
    '三、推进法治政府建设存在的不足和原因',
    '（请写明存在的不足和原因。）',
    '',
    '四、2026年度推进法治政府建设的主要安排',
    '(请写明下一年度推进法治政府建设的主要安排。)',
  ].join('\n');
  const all = ['measures', 'first-responsible', 'shortcomings', 'plans'];

  it('counts a heading followed only by the template’s placeholder, or by nothing, as missing', () => {
    expect(missingSections(template, sections).map((s) => s.key)).toEqual(all);
    const headingsOnly = template.split('\n').filter((l) => !l.includes('请写明')).join('\n');
    expect(missingSections(headingsOnly, sections).map((s) => s.key)).toEqual(all);
    const oneWritten = template.replace('（请写明存在的不足和原因。）', '一是依法行政意识有待增强。');
    expect(missingSections(oneWritten, sections).map((s) => s.key)).toEqual(['measures', 'first-responsible', 'plans']);
    // A placeholder on the heading's own line, after its first 。, is no content either.
    expect(missingSections('三、存在的不足和原因。（请写明存在的不足和原因。）', sections).map((s) => s.key)).toEqual(all);
  });

  it('takes body text on the heading’s line, below it, or in its sub-sections as the section’s content', () => {
    expect(missingSections('三、存在的不足和原因。一是依法行政意识有待增强。', sections).map((s) => s.key)).not.toContain('shortcomings');
    expect(missingSections('一、主要举措和成效\n\n（一）深入学习习近平法治思想\n二、其他', sections).map((s) => s.key)).not.toContain('measures');
    // A sub-section ends at the next heading of any level: a bare sub-heading names its section but says nothing.
    const bareSubSection = '一、主要举措和成效\n全面推进依法行政。\n（一）第一责任人履职情况\n（二）其他情况\n有关情况如下。';
    expect(missingSections(bareSubSection, sections).map((s) => s.key)).toEqual(['first-responsible', 'shortcomings', 'plans']);
  });
});
