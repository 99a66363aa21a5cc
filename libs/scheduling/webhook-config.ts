export interface WebhookSettings {
  urls: string[];
  secret?: string;
}

/**
 * WEBHOOK_URLS (comma-separated http(s) URLs) and WEBHOOK_SECRET (the HMAC key). URLs without a
 * secret stop start-up: unsigned deliveries could not be told from forgeries.
 */
export function webhookSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const urls = (env.WEBHOOK_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of urls) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new Error(`WEBHOOK_URLS: "${url}" is not an http(s) URL`);
  }
  if (urls.length && !env.WEBHOOK_SECRET) throw new Error('WEBHOOK_SECRET must be set when WEBHOOK_URLS is');
  return { urls, secret: env.WEBHOOK_SECRET || undefined };
}
