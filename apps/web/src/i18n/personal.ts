/** Words of 代理人、收到的抄送、通知设置 (a user's own settings), merged into the dictionary by ../i18n.ts. */
export const zh = {
};
export const en: typeof zh = {
};
