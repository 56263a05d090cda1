/**
 * Programs with their indicators, GAO monitoring practices, risks and lessons, as the caller may see
 * them; and edits of a program's own fields by its owners.
 * @module
 */
import { assertCanEdit } from '../../access/rules.js';
import { getProgram, listPrograms, updateProgram } from '../../records/program-repository.js';
import { LangQuery, ProgramPatch } from '../api-schemas.js';
import { route } from '../route.js';
import * as R from '../responses/index.js';

export const programs = route({
  method: 'get',
  path: '/programs',
  operationId: 'listPrograms',
  response: R.ProgramList,
  tag: 'programs',
  permission: 'read',
  summary: 'Programs visible to the caller',
  query: LangQuery,
  handle: ({ store, viewer }) => listPrograms(store, viewer),
});

export const program = route({
  method: 'get',
  path: '/programs/{code}',
  operationId: 'getProgram',
  versionOf: (p: { version: number }) => p.version,
  response: R.ProgramDetail,
  tag: 'programs',
  permission: 'read',
  summary: 'A program with its indicators, GAO monitoring practices and compliance score, risks and lessons',
  query: LangQuery,
  handle: ({ store, viewer, params }) => getProgram(store, viewer, params.code),
});

export const editProgram = route({
  method: 'patch',
  path: '/programs/{code}',
  operationId: 'updateProgram',
  versionOf: (p: { version: number }) => p.version,
  conditional: true,
  response: R.ProgramRecord,
  tag: 'programs',
  permission: 'write:records',
  summary: "Update a program's own fields; `version` must be the version you read (409 when stale)",
  body: ProgramPatch,
  async handle({ store, viewer, params, body, write }) {
    const current = await getProgram(store, viewer, params.code);
    assertCanEdit(viewer, current, { entity: 'program', key: params.code });
    return updateProgram(store, params.code, body, write);
  },
});

export const practices = route({
  method: 'get',
  path: '/programs/{code}/practices',
  operationId: 'getProgramPractices',
  response: R.ProgramPractices,
  tag: 'programs',
  permission: 'read',
  summary: "A program's GAO key monitoring practices and its compliance score",
  query: LangQuery,
  async handle({ store, viewer, params }) {
    const p = await getProgram(store, viewer, params.code);
    return { program: p.code, practices: p.practices, compliance: p.compliance };
  },
});
