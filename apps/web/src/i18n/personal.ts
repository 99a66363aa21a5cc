/** Words of 代理人、收到的抄送、通知设置 (a user's own settings), merged into the dictionary by ../i18n.ts. */
export const zh = {
  navPersonal: '个人设置', personalTitle: '个人设置',
  // 代理人 (out-of-office substitutes)
  proxiesTitle: '外出代理人', proxiesHint: '外出期间到达您的待办，在所有可办理人员都外出时，交由您指定的代理人代为办理（代理人须在您所在部门任职，督察员不能担任）。',
  proxySubstitute: '代理人', proxyFrom: '开始日期', proxyUntil: '结束日期（含当天）', proxyComment: '说明（选填）',
  proxySet: '设定代理人', proxyEnd: '结束代理', proxyEnded: '已结束代理', proxyCreated: '已设定代理人',
  proxyStarts: '开始', proxyEnds: '结束', proxyStatus: '状态', proxyActive: '生效中', proxyUpcoming: '未开始',
  proxiesEmpty: '当前没有生效或待生效的代理', proxiesPastHint: '已结束或已取消的代理不再列出，记录保存在审计日志中。',
  proxyRefused: '未能设定代理人',
  'reason:no such user': '没有这个人员', 'reason:name someone else': '不能指定本人', 'reason:must hold a role in one of your departments': '须在您所在的部门任职',
  'reason:a supervisor does not decide': '督察员不办理审批事项，不能担任代理人', 'reason:the user is disabled': '该人员已停用',
  'reason:must be after startsAt': '须晚于开始日期', 'reason:must be in the future': '须晚于现在', 'reason:a window lasts at most 366 days': '一次最长 366 天',
  // 抄送给我的 (copies received)
  copiesTitle: '抄送给我的', copiesEmpty: '没有抄送给您的文稿', copiedBy: '抄送人', copiedAt: '抄送时间', readState: '阅读',
  isRead: '已读', isUnread: '未读', copiesHint: '抄送给您的文稿都列于此处，不受通知设置影响。',
  // 通知设置 (notification settings)
  notifySettingsTitle: '通知设置', notifyEmail: '接收通知的电子邮箱（留空则不发邮件）', notifyKind: '通知类型',
  notifyInApp: '站内通知', notifyByEmail: '电子邮件', notifySaved: '通知设置已保存', notifyRefused: '通知设置未保存',
  'reason:must be an e-mail address such as name@example.gov.cn, or null': '须为电子邮箱地址，如 name@example.gov.cn，或留空',
  'kind:task-assigned': '新待办', 'kind:returned': '文稿被退回', 'kind:decided': '文稿已办理', 'kind:disclosed': '文稿已公开',
  'kind:remind': '期限提醒', 'kind:deadline-passed': '已逾期', 'kind:escalate': '逾期上报', 'kind:urge': '催办',
  'kind:copy-to': '抄送', 'kind:task-rerouted': '待办转办',
};
export const en: typeof zh = {
  navPersonal: 'My settings', personalTitle: 'My settings',
  proxiesTitle: 'Out-of-office substitutes', proxiesHint: 'While you are away, tasks reaching you go to the substitute you name once every holder who may decide them is away (the substitute must hold a role in one of your departments; a supervisor cannot be one).',
  proxySubstitute: 'Substitute', proxyFrom: 'From', proxyUntil: 'Until (inclusive)', proxyComment: 'Note (optional)',
  proxySet: 'Name the substitute', proxyEnd: 'End', proxyEnded: 'Substitute ended', proxyCreated: 'Substitute named',
  proxyStarts: 'Starts', proxyEnds: 'Ends', proxyStatus: 'Status', proxyActive: 'In force', proxyUpcoming: 'Upcoming',
  proxiesEmpty: 'No substitute in force or upcoming', proxiesPastHint: 'Ended and cancelled substitutes are no longer listed; the audit log keeps them.',
  proxyRefused: 'The substitute was not named',
  'reason:no such user': 'no such person', 'reason:name someone else': 'name someone other than yourself', 'reason:must hold a role in one of your departments': 'must hold a role in one of your departments',
  'reason:a supervisor does not decide': 'a supervisor does not decide, so cannot be a substitute', 'reason:the user is disabled': 'that person is disabled',
  'reason:must be after startsAt': 'must be after the start', 'reason:must be in the future': 'must be in the future', 'reason:a window lasts at most 366 days': 'at most 366 days at a time',
  copiesTitle: 'Copies received', copiesEmpty: 'No documents were copied to you', copiedBy: 'Copied by', copiedAt: 'Copied at', readState: 'Read',
  isRead: 'read', isUnread: 'unread', copiesHint: 'Every document copied to you is listed here, whatever your notification settings.',
  notifySettingsTitle: 'Notification settings', notifyEmail: 'E-mail address for notifications (empty: no e-mail)', notifyKind: 'Kind',
  notifyInApp: 'In the app', notifyByEmail: 'By e-mail', notifySaved: 'Notification settings saved', notifyRefused: 'Notification settings not saved',
  'reason:must be an e-mail address such as name@example.gov.cn, or null': 'must be an e-mail address such as name@example.gov.cn, or empty',
  'kind:task-assigned': 'New task', 'kind:returned': 'Document returned', 'kind:decided': 'Document decided', 'kind:disclosed': 'Document disclosed',
  'kind:remind': 'Deadline reminder', 'kind:deadline-passed': 'Overdue', 'kind:escalate': 'Escalated', 'kind:urge': 'Urged',
  'kind:copy-to': 'Copied to you', 'kind:task-rerouted': 'Task rerouted',
};
