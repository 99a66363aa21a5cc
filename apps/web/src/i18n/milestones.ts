/** Words of the statutory dates (法定时间节点): their standing in the document view, its timeline and the year overview; merged by ../i18n.ts. */
export const zh = {
  msOverdue: '已逾期 {n} 天', msOverdueOne: '已逾期 1 天',
  msReachedLate: '逾期 {n} 天完成', msReachedLateOne: '逾期 1 天完成',
  msMet: '按期完成', msNotYetDue: '未到期', msOverdueHint: '日期已过仍未完成（按北京时间自然日计算）',
  msName: '时间节点', msDueOn: '法定日期', msReachedOn: '完成日期', msStanding: '完成情况',
};
export const en: typeof zh = {
  msOverdue: '{n} days overdue', msOverdueOne: '1 day overdue',
  msReachedLate: 'reached {n} days late', msReachedLateOne: 'reached 1 day late',
  msMet: 'met', msNotYetDue: 'not yet due', msOverdueHint: 'Its date has passed and it is not reached (calendar days, Beijing time)',
  msName: 'Milestone', msDueOn: 'Due by', msReachedOn: 'Reached on', msStanding: 'Standing',
};
