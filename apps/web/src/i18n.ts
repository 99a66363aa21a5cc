/** A small dictionary: Simplified Chinese by default, English on request (kept in localStorage). */
export type Lang = 'zh' | 'en';
import * as chainEditor from './i18n/chain-editor';
import * as documentPanels from './i18n/document-panels';
import * as logAndMigration from './i18n/log-and-migration';
import * as milestones from './i18n/milestones';
import * as organisationHandover from './i18n/organisation-handover';
import * as personal from './i18n/personal';
import * as reasons from './i18n/reasons';
import * as redline from './i18n/redline';

const KEY = 'shenpi.lang';
export let lang: Lang = (typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === 'en') ? 'en' : 'zh';
export function setLang(next: Lang) {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

const zhBase = {
  appName: '审批链', appSub: '法治政府建设审批系统',
  username: '用户名', password: '密码', login: '登录', logout: '退出', loginFailed: '用户名或密码错误',
  loginTitle: '登录', switchLang: 'English', langName: '中文',
  navInbox: '待办任务', navDocuments: '我的文稿', navChains: '审批链配置', navAudit: '督察与审计',
  notifications: '通知', unread: '条未读', noNotifications: '暂无通知', markRead: '标为已读',
  department: '部门', roles: '角色',
  inboxTitle: '待办任务', inboxEmpty: '没有待办任务', tabOpen: '待办', tabDone: '已办', inboxDoneEmpty: '没有已办任务', allChains: '全部审批链', dueBy: '到期不晚于', decisionMade: '办理结果', decidedAt: '办理时间', document: '文稿', step: '环节', dueAt: '办理期限', received: '收到时间', updated: '更新时间',
  overdue: '已逾期', provisional: '暂定', provisionalHint: '该年度官方节假日安排尚未公布，期限为暂定', noDue: '无期限',
  select: '选择', selectAll: '全选', bulkApprove: '批量通过', bulkResult: '批量办理结果', ok: '成功', open: '打开',
  state: '当前状态', chain: '审批链', version: '版本', year: '年度', title: '标题', content: '正文',
  milestones: '法定时间节点', reached: '已完成', notReached: '未完成', planning: '后续环节最迟开始日期',
  openTasks: '待办', assignee: '办理人', timeline: '办理过程', diagram: '审批流程图', diagramLoading: '正在绘制流程图…',
  actions: '办理', comment: '意见', commentOptional: '意见（选填）', reason: '退回理由（必填）', returnTo: '退回至',
  reasonRequired: '请填写退回理由', delegateTo: '转交给', delegateNote: '转交说明', chooseUser: '请选择人员', done: '已办理',
  approve: '通过', return: '退回', reject: '不予通过', delegate: '转交', withdraw: '撤回', submit: '提交审核', urge: '催办',
  'add-signer': '加签', 'record-disclosure': '登记公开', create: '起草', migrate: '迁移',
  'task-assigned': '新待办', returned: '被退回', decided: '已办理', disclosed: '已公开', remind: '提醒', escalate: '逾期上报', 'deadline-passed': '已逾期', 'copy-to': '抄送', 'task-rerouted': '转办',
  edit: '编辑', save: '保存', saved: '已保存', cancel: '取消', disclosureUrl: '公开网址', publishedOn: '公开日期',
  actor: '操作人', action: '操作', from: '原状态', to: '新状态', at: '时间', onBehalfOf: '代', system: '系统',
  stays: '各环节用时', hours: '小时', met: '按期', late: '超期', enteredAt: '进入', leftAt: '离开',
  myDocsTitle: '我的文稿', newReport: '新建年度报告', newReportHint: '按法治政府建设年度报告模板起草，四个必备部分已列为标题。',
  create_: '创建', noDocuments: '暂无文稿', whereNow: '当前环节', whatDue: '期限',
  chainsTitle: '审批链配置', versions: '版本', latest: '最新版本', viewVersion: '查看', editAsNew: '以此为基础编辑新版本',
  steps: '环节', stepKey: '环节标识', stepNameZh: '环节名称（中文）', stepNameEn: '环节名称（英文）', kind: '类型',
  kindTask: '审批', kindEditable: '起草（可编辑）', kindFinal: '终结', kindWaiting: '等待（无待办）',
  assigneeRole: '办理角色', assigneeDept: '办理部门', deptDocument: '文稿所属部门', deptOffice: '法治建设办',
  deadline: '期限', deadlineUnit: '期限单位', workingDays: '工作日', calendarDays: '自然日', seconds: '秒',
  reminders: '提醒（提前工作日，逗号分隔）', escalation: '逾期上报', escalationRole: '上报角色', escalationAfter: '逾期后（工作日）',
  none: '无', addStep: '添加环节', removeStep: '删除环节', moveUp: '上移', moveDown: '下移', transitions: '流转',
  formEditor: '表单编辑', jsonEditor: 'JSON 编辑', validate: '校验', publish: '发布新版本', valid: '校验通过',
  invalid: '校验未通过', published: '已发布版本', jsonError: 'JSON 格式错误', otherErrors: '其他问题', warnings: '提示',
  auditTitle: '督察与审计', search: '查询', filters: '筛选条件', documentId: '文稿编号', actorId: '操作人编号',
  departmentId: '部门', category: '类别', any: '全部', fromTime: '起始时间', toTime: '截止时间', seq: '序号',
  loadMore: '加载更多', verify: '验证审计链', verifyOk: '审计链完整', verifyBad: '审计链被篡改', entries: '条记录',
  headHash: '链头哈希', firstBad: '首个异常记录', exportCsv: '导出 CSV', exportJsonl: '导出 JSONL',
  overview: '年度报告督察总览', overviewHint: '各部门年度报告报送与公开情况（逾期者标红）', departmentCol: '部门', missing: '未提交',
  onTime: '按期率', medianHours: '中位用时（小时）', show: '显示',
  transition: '流转', configuration: '配置', security: '安全', results: '结果', details: '详情', noResults: '没有记录',
  loading: '加载中…', error: '出错了', notFound: '页面不存在', back: '返回',
  errVALIDATION_FAILED: '填写的内容有误', errUNAUTHENTICATED: '请重新登录', errFORBIDDEN: '您无权进行此操作', errNOT_FOUND: '未找到，或您无权查看',
  errTRANSITION_NOT_ALLOWED: '当前环节不能进行此操作', errVERSION_CONFLICT: '文稿已被他人更新，请刷新后重试', errTASK_NOT_OPEN: '该任务已办结或已转交',
  errDUPLICATE_DOCUMENT: '本部门该年度已有同类文稿', errCONFLICT: '与当前状态冲突，操作未执行', errPAYLOAD_TOO_LARGE: '内容过大',
  errCONTENT_CHECK_FAILED: '正文缺少规定的内容', errRATE_LIMITED: '操作过于频繁，请稍后再试', errIDEMPOTENCY_KEY_REUSED: '重复提交的请求与原请求不一致',
  errSEPARATION_OF_DUTIES: '按不相容职务分离规定，您不能办理此事项', errALREADY_DECIDED: '本轮已有审核意见，不能撤回', errMIGRATION_SKIPS_REVIEW: '迁移会跳过审核环节，未执行',
  errSTATE_DIVERGED: '文稿记录与审计日志不一致，操作未执行，已报告', errLINT_BUDGET_EXCEEDED: '审批链过大，无法在限定时间内检查', errPASSWORD_CHANGE_REQUIRED: '请先设置您自己的密码',
  // 组织机构与工作日历 (administrators)
  navOrganisation: '组织机构', navCalendar: '工作日历', orgTitle: '组织机构', departments: '部门', deptId: '部门代码', deptName: '名称（中文名 / 英文名）',
  office: '所属法治建设办', issuerCode: '发文机关代字', newDepartment: '新建部门', users: '人员', newUser: '新建人员', person: '人员',
  displayName: '姓名（中文名 / 英文名）', initialPassword: '初始密码（选填，不填则自动生成）', oneTimePassword: '一次性密码（只显示这一次，请转交本人，首次登录须修改）',
  accountState: '状态', active: '启用', disabledState: '已停用', disable: '停用', enable: '启用', disableComment: '停用说明（选填）',
  grant: '授予', revoke: '撤销', grantRole: '授予角色', chooseRole: '请选择角色', role: '角色', global: '全局', supervision: '督察范围',
  supervisionHint: '督察员督察的部门（法治建设办的督察员也督察向其报告的各部门）；全部不选即结束督察', manage: '管理', prevPage: '上一页', nextPage: '下一页',
  handOver: '待办交接', reassignedTo: '已转交给', unassigned: '未能转交，待全局管理员处理', refusedBy: '不能接手', noHandOver: '没有需要交接的待办',
  calendarTitle: '工作日历', holidays: '放假日', workdays: '调休上班日', source: '数据来源', srcUploaded: '管理员上传的国务院通知',
  srcFile: '服务器上的年度文件', srcPackage: '随程序发布的国务院通知', srcLaw: '按《全国年节及纪念日放假办法》推算（暂定）',
  uploadYear: '上传年度安排', uploadHint: '国务院办公厅公布的该年度节假日安排（格式见项目的日历说明），例如：',
  jsonFile: 'JSON 文件', jsonText: 'JSON 内容', upload: '上传', uploadedYear: '已上传年度安排', documentsMoved: '份文稿的期限已重新计算', timersMoved: '个计时器已重新设定',
  date: '日期', label: '名称', 'recompute-deadlines': '按公布的节假日安排重新计算期限', 'upload-calendar-year': '上传年度节假日安排',
  'create-department': '新建部门', 'update-department': '修改部门', 'create-user': '新建人员', 'update-user': '修改人员', 'disable-user': '停用人员', 'enable-user': '启用人员',
  'grant-role': '授予角色', 'revoke-role': '撤销角色', 'set-supervision': '设定督察范围',
};
const enBase: typeof zhBase = {
  appName: 'Shenpi', appSub: 'Rule-of-law government review chains',
  username: 'Username', password: 'Password', login: 'Log in', logout: 'Log out', loginFailed: 'Wrong username or password',
  loginTitle: 'Log in', switchLang: '中文', langName: 'English',
  navInbox: 'Inbox', navDocuments: 'My documents', navChains: 'Chains', navAudit: 'Audit',
  notifications: 'Notifications', unread: 'unread', noNotifications: 'No notifications', markRead: 'Mark as read',
  department: 'Department', roles: 'Roles',
  inboxTitle: 'Inbox', inboxEmpty: 'No open tasks', tabOpen: 'Open', tabDone: 'Done', inboxDoneEmpty: 'No decided tasks', allChains: 'All chains', dueBy: 'Due by', decisionMade: 'Decision', decidedAt: 'Decided at', document: 'Document', step: 'Step', dueAt: 'Due', received: 'Received', updated: 'Updated',
  overdue: 'Overdue', provisional: 'provisional', provisionalHint: 'The official holiday calendar for that year is not published yet: the date is provisional', noDue: 'No deadline',
  select: 'Select', selectAll: 'Select all', bulkApprove: 'Approve selected', bulkResult: 'Bulk result', ok: 'Done', open: 'Open',
  state: 'State', chain: 'Chain', version: 'Version', year: 'Year', title: 'Title', content: 'Content',
  milestones: 'Statutory dates', reached: 'reached', notReached: 'not reached', planning: 'Latest start of the steps ahead',
  openTasks: 'Open tasks', assignee: 'Assignee', timeline: 'Timeline', diagram: 'Chain diagram', diagramLoading: 'Drawing the diagram…',
  actions: 'Actions', comment: 'Comment', commentOptional: 'Comment (optional)', reason: 'Reason for returning (required)', returnTo: 'Return to',
  reasonRequired: 'A reason is required to return', delegateTo: 'Delegate to', delegateNote: 'Note for the delegate', chooseUser: 'Choose a person', done: 'Done',
  approve: 'Approve', return: 'Return', reject: 'Reject', delegate: 'Delegate', withdraw: 'Withdraw', submit: 'Submit', urge: 'Urge',
  'add-signer': 'Add a signer', 'record-disclosure': 'Record disclosure', create: 'Create', migrate: 'Migrate',
  'task-assigned': 'New task', returned: 'Returned', decided: 'Decided', disclosed: 'Disclosed', remind: 'Reminder', escalate: 'Escalated', 'deadline-passed': 'Overdue', 'copy-to': 'Copy', 'task-rerouted': 'Rerouted',
  edit: 'Edit', save: 'Save', saved: 'Saved', cancel: 'Cancel', disclosureUrl: 'Disclosure URL', publishedOn: 'Published on',
  actor: 'Actor', action: 'Action', from: 'From', to: 'To', at: 'Time', onBehalfOf: 'on behalf of', system: 'System',
  stays: 'Time in each step', hours: 'hours', met: 'on time', late: 'late', enteredAt: 'Entered', leftAt: 'Left',
  myDocsTitle: 'My documents', newReport: 'New annual report', newReportHint: 'From the annual-report template: its four mandated sections are the headings.',
  create_: 'Create', noDocuments: 'No documents', whereNow: 'Where it is', whatDue: 'Due',
  chainsTitle: 'Chains', versions: 'Versions', latest: 'Latest version', viewVersion: 'View', editAsNew: 'Edit as a new version',
  steps: 'Steps', stepKey: 'Step key', stepNameZh: 'Name (Chinese)', stepNameEn: 'Name (English)', kind: 'Kind',
  kindTask: 'Review', kindEditable: 'Drafting (editable)', kindFinal: 'Final', kindWaiting: 'Waiting (no task)',
  assigneeRole: 'Assignee role', assigneeDept: 'Assignee department', deptDocument: "The document's department", deptOffice: 'The rule-of-law office',
  deadline: 'Deadline', deadlineUnit: 'Deadline unit', workingDays: 'working days', calendarDays: 'calendar days', seconds: 'seconds',
  reminders: 'Reminders (working days before, comma-separated)', escalation: 'Escalation', escalationRole: 'Escalate to role', escalationAfter: 'After (working days)',
  none: 'None', addStep: 'Add a step', removeStep: 'Remove step', moveUp: 'Up', moveDown: 'Down', transitions: 'Transitions',
  formEditor: 'Form', jsonEditor: 'Raw JSON', validate: 'Validate', publish: 'Publish a new version', valid: 'Valid',
  invalid: 'Not valid', published: 'Published version', jsonError: 'Invalid JSON', otherErrors: 'Other problems', warnings: 'Warnings',
  auditTitle: 'Audit', search: 'Search', filters: 'Filters', documentId: 'Document id', actorId: 'Actor id',
  departmentId: 'Department', category: 'Category', any: 'Any', fromTime: 'From', toTime: 'To', seq: 'Seq',
  loadMore: 'Load more', verify: 'Verify the audit chain', verifyOk: 'The audit chain holds', verifyBad: 'The audit chain is broken', entries: 'entries',
  headHash: 'Head hash', firstBad: 'First bad entry', exportCsv: 'Export CSV', exportJsonl: 'Export JSONL',
  overview: 'Annual report overview', overviewHint: 'Each department’s report for the year (late in red)', departmentCol: 'Department', missing: 'missing',
  onTime: 'On-time rate', medianHours: 'Median hours', show: 'Show',
  transition: 'Transition', configuration: 'Configuration', security: 'Security', results: 'Results', details: 'Details', noResults: 'Nothing found',
  loading: 'Loading…', error: 'Error', notFound: 'Page not found', back: 'Back',
  errVALIDATION_FAILED: 'Some input is not valid', errUNAUTHENTICATED: 'Please log in again', errFORBIDDEN: 'You may not do this', errNOT_FOUND: 'Not found, or not yours to see',
  errTRANSITION_NOT_ALLOWED: 'This step does not take that action', errVERSION_CONFLICT: 'Someone changed the document meanwhile: reload and try again', errTASK_NOT_OPEN: 'This task is closed or was handed on',
  errDUPLICATE_DOCUMENT: 'Your department already has this document for that year', errCONFLICT: 'That conflicts with the current state: nothing was done', errPAYLOAD_TOO_LARGE: 'Too large',
  errCONTENT_CHECK_FAILED: 'The text lacks required content', errRATE_LIMITED: 'Too many attempts: try again later', errIDEMPOTENCY_KEY_REUSED: 'A repeated request differs from the first',
  errSEPARATION_OF_DUTIES: 'Separation of duties: you may not decide this', errALREADY_DECIDED: 'A decision was made this round: it can no longer be withdrawn', errMIGRATION_SKIPS_REVIEW: 'The migration would skip a review: nothing was done',
  errSTATE_DIVERGED: 'The document disagrees with its audit log: nothing was done, and it was reported', errLINT_BUDGET_EXCEEDED: 'The chain is too large to check in time', errPASSWORD_CHANGE_REQUIRED: 'Choose a password of your own first',
  // Organisation and calendar (administrators)
  navOrganisation: 'Organisation', navCalendar: 'Calendar', orgTitle: 'Organisation', departments: 'Departments', deptId: 'Department code', deptName: 'Name (Chinese / English)',
  office: 'Reports to (rule-of-law office)', issuerCode: 'Issuer code', newDepartment: 'New department', users: 'People', newUser: 'New user', person: 'Person',
  displayName: 'Display name (Chinese / English)', initialPassword: 'Initial password (optional: generated when empty)', oneTimePassword: 'One-time password (shown only this once: hand it to the user, who must change it at first login)',
  accountState: 'State', active: 'Enabled', disabledState: 'Disabled', disable: 'Disable', enable: 'Enable', disableComment: 'Reason for disabling (optional)',
  grant: 'Grant', revoke: 'Revoke', grantRole: 'Grant a role', chooseRole: 'Choose a role', role: 'Role', global: 'Global', supervision: 'Supervision',
  supervisionHint: 'The departments this supervisor oversees (a rule-of-law office brings the departments reporting to it); none ends the supervision', manage: 'Manage', prevPage: 'Previous page', nextPage: 'Next page',
  handOver: 'Open tasks handed on', reassignedTo: 'Reassigned to', unassigned: 'Not reassigned: left for a global administrator', refusedBy: 'could not take it', noHandOver: 'No open tasks to hand on',
  calendarTitle: 'Calendar', holidays: 'Days off', workdays: 'Adjusted working days', source: 'Source', srcUploaded: "The State Council's notice, uploaded by an administrator",
  srcFile: 'A year file on the server', srcPackage: "The State Council's notice, shipped with the service", srcLaw: 'Derived from the statutory holidays (provisional)',
  uploadYear: "Upload a year's arrangement", uploadHint: "The State Council's holiday arrangement for the year (format: the project's calendar README), for example:",
  jsonFile: 'JSON file', jsonText: 'JSON', upload: 'Upload', uploadedYear: 'Arrangement uploaded', documentsMoved: "documents' due dates recomputed", timersMoved: 'timers re-armed',
  date: 'Date', label: 'Name', 'recompute-deadlines': 'Deadlines recomputed on the published calendar', 'upload-calendar-year': "Year's calendar uploaded",
  'create-department': 'Department created', 'update-department': 'Department changed', 'create-user': 'User created', 'update-user': 'User changed', 'disable-user': 'User disabled', 'enable-user': 'User enabled',
  'grant-role': 'Role granted', 'revoke-role': 'Role revoked', 'set-supervision': 'Supervision set',
};
// Each screen area keeps its words in a file of its own under i18n/ (zh, and en of the same shape).
const zh = { ...zhBase, ...documentPanels.zh, ...personal.zh, ...logAndMigration.zh, ...redline.zh, ...chainEditor.zh, ...milestones.zh, ...reasons.zh, ...organisationHandover.zh };
type Dict = typeof zh;
const en: Dict = { ...enBase, ...documentPanels.en, ...personal.en, ...logAndMigration.en, ...redline.en, ...chainEditor.en, ...milestones.en, ...reasons.en, ...organisationHandover.en };
export type Key = keyof Dict;
export const t = (key: Key): string => (lang === 'zh' ? zh : en)[key];
/** What an API error code means, in the page's language; undefined for a code the dictionary does not know. */
export const errorMessage = (code: string, language: Lang = lang): string | undefined => ((language === 'zh' ? zh : en) as Record<string, string>)[`err${code}`];
/** A known key, or the text itself (action names the dictionary does not know). */
export const tx = (key: string): string => ((lang === 'zh' ? zh : en) as Record<string, string>)[key] ?? key;

/** A label and what it says, joined as each language writes it: 角色：起草人 / Role: Drafter. */
export const colon = (a: string, b: string) => (lang === 'zh' ? `${a}：${b}` : `${a}: ${b}`);

/** A sentence with its `{name}` placeholders filled in (one not given stays as written). */
export const fillIn = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

/** A version of a chain or document: 第3版 / v3. */
export const versionName = (n: number) => (lang === 'zh' ? `第${n}版` : `v${n}`);
/** A chain by its name and version: 年度报告 · 第3版 / Annual report · v3. */
export const chainVersionName = (name: string, version: number) => `${name} · ${versionName(version)}`;

/** `{ zh, en }` names from the API, or "中文 / English" strings. */
export function pick(name: { zh?: string; en?: string } | string | null | undefined): string {
  if (!name) return '';
  if (typeof name === 'string') {
    const [a, b] = name.split(' / ');
    return lang === 'en' && b ? b : a!;
  }
  return (lang === 'en' ? name.en : name.zh) ?? name.zh ?? name.en ?? '';
}

/** Role names: the statutory terms (domain README §5). */
const ROLES: Record<string, [string, string]> = {
  drafter: ['起草人', 'Drafter'],
  'legal-counsel': ['法律顾问', 'Legal counsel'],
  'party-secretary': ['党组书记', 'Party group secretary'],
  leader: ['主要负责人 / 分管领导', 'Principal / leader in charge'],
  'rule-of-law-office': ['法治建设办', 'Rule-of-law office'],
  supervisor: ['督察员', 'Supervisor'],
  admin: ['系统管理员', 'Administrator'],
};
export const roleName = (role: string) => (ROLES[role] ? ROLES[role]![lang === 'zh' ? 0 : 1] : role);

/** The annual report's steps, for the pages where the API gives only the key (audit entries, the overview). */
const STATES: Record<string, [string, string]> = {
  draft: ['起草', 'Drafting'],
  'legal-review': ['法制审核', 'Legal counsel review'],
  'party-group-review': ['党组会议审议', 'Party group meeting approval'],
  'office-review': ['报送法治建设办', 'Submission to the rule-of-law office'],
  'awaiting-disclosure': ['向社会公开', 'Public disclosure'],
  disclosed: ['已公开', 'Disclosed'],
};
export const stateName = (key: string | null | undefined) => (!key ? '∅' : STATES[key] ? STATES[key]![lang === 'zh' ? 0 : 1] : key);

// Names from GET /api/departments ("中文 / English"), loaded once after sign-in.
const departments = new Map<string, string>();
export const setDepartments = (items: { id: string; name: string }[]) => items.forEach((d) => departments.set(d.id, d.name));
export const departmentName = (id: string | null | undefined) => (!id ? '—' : departments.has(id) ? pick(departments.get(id)) : id);

// One way of writing dates in both languages, as the API's own dates are written (publishedOn,
// the planning's latest starts): YYYY-MM-DD, and YYYY-MM-DD HH:mm for times, in Beijing time (UTC+8, no
// daylight saving), whatever the browser's zone and locale.
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
export function formatTime(iso: string | null | undefined): string {
  return iso ? beijing(iso).slice(0, 16).replace('T', ' ') : '—';
}
export function formatDate(iso: string | null | undefined): string {
  return iso ? beijing(iso).slice(0, 10) : '—';
}
