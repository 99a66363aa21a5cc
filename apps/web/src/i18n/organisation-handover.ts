/** Words of handing on a user's open tasks (组织机构 → a user's panel, the notification kind), merged into the dictionary by ../i18n.ts. */
export const zh = {
  heldTitle: '仍由其持有的待办', heldNone: '没有仍由其持有的待办',
  heldHint: '以下待办无人可以接手，仍在该人员名下。有人可以办理后（例如授予其角色），点击“转交待办”，由系统按不相容职务分离规则重新转交。',
  handOnAgain: '转交待办', handOnOutcome: '已转交 {handed} 项，仍无人可以接手 {left} 项',
  // Why a task stayed (the API's `reason`), and why a colleague could not take it (`rule`, else `code`).
  'left:nobody who may decide it can take it': '可以办理的人员均不能接手', 'left:nobody else can act in its role': '该角色没有其他可以办理的人员',
  'refusal:author-decides': '是文稿的起草人或编辑人', 'refusal:second-vote-in-step': '已在本环节投票或持有本环节的其他席位',
  'refusal:second-step-in-round': '本轮已办理本文稿的其他审核环节', 'refusal:supervisor-decides': '是督察员，不办理审批事项',
  'refusal:VALIDATION_FAILED': '不符合接手条件', 'refusal:FORBIDDEN': '无权接手',
  // The notification of a task nobody could take (its tag and its setting).
  'tasks-unassigned': '待办无人接手', 'kind:tasks-unassigned': '待办无人接手（全局管理员）',
};

export const en: typeof zh = {
  heldTitle: 'Open tasks still held', heldNone: 'No open tasks held',
  heldHint: 'Nobody could take these tasks: they are still held by this user. Once someone can decide them (grant them the role, say), press “Hand on” and the system hands them on under the separation-of-duties rules.',
  handOnAgain: 'Hand on', handOnOutcome: 'Handed on: {handed}; still nobody may take: {left}',
  'left:nobody who may decide it can take it': 'nobody who may decide it can take it', 'left:nobody else can act in its role': 'nobody else can act in its role',
  'refusal:author-decides': 'wrote or edited the document', 'refusal:second-vote-in-step': 'already votes in this step',
  'refusal:second-step-in-round': 'decided another review step of it in this round', 'refusal:supervisor-decides': 'is a supervisor, who does not decide',
  'refusal:VALIDATION_FAILED': 'may not take it', 'refusal:FORBIDDEN': 'may not take it',
  'tasks-unassigned': 'Not handed on', 'kind:tasks-unassigned': 'Tasks nobody could take (global administrators)',
};
