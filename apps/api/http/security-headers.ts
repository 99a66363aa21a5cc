import type { SecurityHeadersOptions } from '@nestjs/common';

/**
 * The headers on every response (NestJS's `useSecurityHeaders`, helmet 8's defaults otherwise):
 * the web UI and Swagger UI load only their own scripts; styles may be inline (Swagger UI's page
 * and the Mermaid diagrams carry `<style>` elements); nothing may frame any page (clickjacking);
 * no referrer leaves; `nosniff` everywhere. No `upgrade-insecure-requests`: a deployment inside an
 * intranet may serve plain HTTP, where it would break every asset. Downloads narrow the policy
 * further (attachments.controller.ts).
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: {
    directives: {
      frameAncestors: "'none'",
      styleSrc: ["'self'", "'unsafe-inline'"],
      fontSrc: ["'self'", 'data:'],
      upgradeInsecureRequests: null,
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  xContentTypeOptions: true,
};
