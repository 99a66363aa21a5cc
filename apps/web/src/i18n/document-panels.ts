/** Words of 加签、抄送、附件、法定时限 (document screen panels), merged into the dictionary by ../i18n.ts. */
export const zh = {
};
export const en: typeof zh = {
};
