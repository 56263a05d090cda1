/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the same zod schemas that
 * validate requests, so the document cannot drift from the server.
 * @module
 */
import { z } from 'zod';
import { needsOfficial } from '../access/permissions.js';
import { Code } from '../domain/common-schema.js';
import { CrosswalkFile, FrameworkFile } from '../domain/framework-schema.js';
import { Workspace } from '../domain/workspace-schema.js';
import { ErrorBody } from './api-schemas.js';
import type { AnyRoute } from './route.js';
import { API_ROUTES } from './routes/index.js';

/** The OpenAPI 3.1 document, generated from the route table and the same zod schemas. */
export function openApiDocument(routes: readonly AnyRoute[] = API_ROUTES): Record<string, unknown> {
  const schema = (s: z.ZodType) =>
    z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: { name: string; in: string; required: boolean; schema: unknown }[] = [
      ...route.path.matchAll(/\{(\w+)\}/g),
    ].map((m) => ({
      name: m[1]!,
      in: 'path',
      required: true,
      schema: schema((route.params as Record<string, z.ZodType> | undefined)?.[m[1]!] ?? Code),
    }));
    if (route.query) {
      const json = schema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {}))
        parameters.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s });
    }
    if (!parameters.some((p) => p.name === 'lang'))
      parameters.push({
        name: 'lang',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['en', 'es'] },
      });
    const errorResponse = {
      description: 'Error',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    paths[`/api/v1${route.path}`] ??= {};
    paths[`/api/v1${route.path}`]![route.method] = {
      summary: route.summary,
      tags: [route.tag],
      parameters,
      ...(needsOfficial(route.permission) ? { security: [{ bearer: [] }] } : {}),
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
            },
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema:
                    route.path === '/workspace'
                      ? { $ref: '#/components/schemas/Workspace' }
                      : schema(route.body),
                },
              },
            },
          }
        : {}),
      responses: {
        ...(route.creates
          ? {
              201: {
                description: 'Created',
                ...(route.location
                  ? {
                      headers: {
                        Location: {
                          description: 'where the created record is read',
                          schema: { type: 'string' },
                        },
                      },
                    }
                  : {}),
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            }
          : { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } }),
        400: errorResponse,
        ...(needsOfficial(route.permission) ? { 401: errorResponse, 403: errorResponse } : {}),
        404: errorResponse,
        ...(route.method !== 'get' ? { 409: errorResponse, 422: errorResponse } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marco API',
      version: '1',
      description:
        'Results frameworks, indicator reference sheets, targets, results, monitoring practices and scorecards for U.S.–Mexico security cooperation. Errors are RFC 9457 problems (application/problem+json): type, title, status, detail and instance, with Marco’s code and, for a refused input, its issues; a 401 carries WWW-Authenticate: Bearer, and a method a path does not answer is a 405 with Allow.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `marco token create`' },
      },
      schemas: {
        Error: schema(ErrorBody),
        Workspace: schema(Workspace),
        FrameworkFile: schema(FrameworkFile),
        CrosswalkFile: schema(CrosswalkFile),
      },
    },
  };
}
