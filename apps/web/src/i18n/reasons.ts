/** Words of refusals the API added codes for (415 and its like), merged into the dictionary by ../i18n.ts. */
export const zh = {
  errUNSUPPORTED_MEDIA_TYPE: '不接受这种格式的内容',
};
export const en: typeof zh = {
  errUNSUPPORTED_MEDIA_TYPE: 'That kind of content is not accepted here',
};
