/** Words of the chain editor (审批链配置): lint findings in words, steps and actions by name, merged into the dictionary by ../i18n.ts. */
export const zh = {
};
export const en: typeof zh = {
};
