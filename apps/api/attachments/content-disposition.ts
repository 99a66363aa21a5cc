/**
 * `Content-Disposition: attachment` for a stored file name (RFC 6266): `filename*` carries the
 * name in UTF-8, percent-encoded down to RFC 8187's attr-chars (encodeURIComponent leaves
 * `'()*` alone, which would end the value early); `filename` is an ASCII stand-in for old clients,
 * with anything else, quotes, backslashes and `%` as `_`. Neither can carry a header break or a quote.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // A lone surrogate (a name stored before names were checked) would make encodeURIComponent throw.
  const wellFormed = name.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const encoded = encodeURIComponent(wellFormed).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
