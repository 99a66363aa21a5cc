/** Words of 审批链迁移、审计树头与见证 (chain migration, the verifiable log), merged into the dictionary by ../i18n.ts. */
export const zh = {
};
export const en: typeof zh = {
};
