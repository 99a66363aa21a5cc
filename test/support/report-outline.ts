/** The smallest content that passes the annual report's check: its four mandated section headings. */
export const REPORT_OUTLINE = [
  '一、主要举措和成效',
  '二、党政主要负责人履行推进法治建设第一责任人职责情况',
  '三、存在的不足和原因',
  '四、下一年度推进法治政府建设的主要安排',
].join('\n');
