import { SetMetadata } from '@nestjs/common';
import type { JsonSchema } from './dto-schema.js';

export const ROUTE_DOC = 'shenpi:route-doc';

/** A component of `responses.ts` by name, or a schema written out. */
export type SchemaRef = string | JsonSchema;

/**
 * What a route's handler does not say by itself, for the OpenAPI document (openapi-document.ts).
 * The rest is read from the route: method and path, path parameters, the body and query DTOs
 * (their schemas from class-validator), the success status (`@HttpCode`), whether it is public.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** The success answer's JSON schema; absent for an answer without a body (204). */
  ok?: SchemaRef;
  /** Other success answers: status → JSON schema (e.g. 202 beside 200). */
  alsoOk?: Record<number, SchemaRef>;
  /** A success answer that is not JSON: media type → schema (files, CSV, streams). */
  okContent?: Record<string, JsonSchema>;
  /**
   * Error statuses the route answers besides those every route may: 400 (validation), 401 unless
   * public, 413 when it takes a body, 415 unless it is a GET, 422 when `@Idempotent`. The body is
   * always the error shape, its codes by status.
   */
  errors?: number[];
  /**
   * A body the handler does not read through a DTO: the class-validator class the engine checks it
   * with, a JSON schema (`application/json`), or `'file'` (raw bytes, any accepted media type).
   */
  body?: Function | SchemaRef | 'file';
  /** Parameters a handler reads from the raw request (no DTO says them): OpenAPI parameter objects. */
  parameters?: Record<string, unknown>[];
  /** Who may call, where it is not the bearer token (or nobody, for `@Public()`): OpenAPI security requirements. */
  security?: Record<string, string[]>[];
  /** An example request body and success answer, for the main routes. */
  examples?: { request?: unknown; response?: unknown };
}

/** Documents a route (see RouteDoc); a route without it is left out of the document, and fails its spec and the e2e contract check. */
export const ApiDoc = (doc: RouteDoc) => SetMetadata(ROUTE_DOC, doc);
