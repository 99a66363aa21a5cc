// No imports: the API's tests use these as the UI does (test/e2e/refusals.e2e-spec.ts submits the template).

/**
 * The year a new annual report most likely covers, on `today` (YYYY-MM-DD in Beijing, from the
 * server's clock). A department reports on the past year by 1 March of the next (domain README §1):
 * until 1 March the report being written is the past year's; from then on it is the current year's,
 * due the next 1 March (in December a department drafts the report on the year that is ending).
 * A year the department already has a report for (`taken`) gives way to the latest year before it that has none.
 */
export function defaultReportYear(today: string, taken: readonly number[] = []): number {
  const current = Number(today.slice(0, 4));
  let year = today.slice(5) < '03-01' ? current - 1 : current;
  // The latest year the department has no report for yet (a report a year: another would be refused).
  while (taken.includes(year)) year--;
  return year;
}

/**
 * The annual-report template: the four mandated sections (《法治政府建设与责任落实督察工作规定》) as
 * headings, each followed by a placeholder line "（请写明…）" for the drafter to replace. The content
 * check on submit counts a section only when its heading is followed by something else
 * (libs/chains/content-check.ts), so the untouched template is refused.
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
