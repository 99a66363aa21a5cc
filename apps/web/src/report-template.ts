/**
 * The annual-report template: the four mandated sections (《法治政府建设与责任落实督察工作规定》) as
 * headings, each followed by a placeholder line "（请写明…）" for the drafter to replace. The content
 * check on submit counts a section only when its heading is followed by something else
 * (libs/chains/content-check.ts), so the untouched template is refused. No imports: the API's tests
 * submit it as the UI would.
 */
export function annualReportTemplate(year: number) {
  return [
    `${year}年度法治政府建设情况报告`,
    '',
    `一、${year}年度推进法治政府建设的主要举措和成效`,
    '（请写明本年度推进法治政府建设的主要举措和取得的成效。）',
    '',
    '二、党政主要负责人履行推进法治建设第一责任人职责情况',
    '（请写明主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况。）',
    '',
    '三、推进法治政府建设存在的不足和原因',
    '（请写明存在的不足和原因。）',
    '',
    `四、${year + 1}年度推进法治政府建设的主要安排`,
    '（请写明下一年度推进法治政府建设的主要安排。）',
    '',
  ].join('\n');
}
