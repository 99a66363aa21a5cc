/** Words of the redline (what changed between two versions of a document), merged into the dictionary by ../i18n.ts. */
export const zh = {
  changesSinceReturn: '退回后的修改', changesSinceReturnHint: '与退回时的版本（第{from}版）相比，现为第{to}版',
  showChanges: '查看修改', hideChanges: '收起修改', inserted: '新增', deleted: '删除', noChanges: '正文与标题没有变化',
  versionUnknown: '无法查看该版本的文字（早于版本记录，或早于您可以查阅本文稿）', redlineOf: '第{from}版 → 第{to}版',
};
export const en: typeof zh = {
  changesSinceReturn: 'Changes since it was returned', changesSinceReturnHint: 'Against the version returned (v{from}); now v{to}',
  showChanges: 'Show changes', hideChanges: 'Hide changes', inserted: 'Inserted', deleted: 'Deleted', noChanges: 'Neither title nor content changed',
  versionUnknown: "That version's text is not available (it predates version history, or your access to this document)", redlineOf: 'v{from} → v{to}',
};
