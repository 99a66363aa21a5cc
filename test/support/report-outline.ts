/** The smallest content that passes the annual report's check: its four mandated section headings, each with a line of its own text. */
export const REPORT_OUTLINE = [
  '一、主要举措和成效',
  '全面推进依法行政，审查行政规范性文件2件。',
  '二、党政主要负责人履行推进法治建设第一责任人职责情况',
  '主要负责人专题研究法治建设工作2次。',
  '三、存在的不足和原因',
  '法治工作队伍力量有待加强。',
  '四、下一年度推进法治政府建设的主要安排',
  '进一步完善依法行政制度体系。',
].join('\n');
