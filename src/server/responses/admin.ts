/**
 * Response schemas of the administration routes: tokens, users, organisations, notices, the audit head
 * and the workspace document.
 * @module
 */
import { z } from 'zod';
import { Workspace } from '../../domain/workspace-schema.js';
import { Bilingual, Count, Owner, Timestamp } from './common.js';

const Role = z.enum(['viewer', 'reporter', 'approver', 'data_steward', 'admin']);

const TokenInfo = z
  .looseObject({
    id: z.number().int(),
    user: z.string(),
    country: Owner.country,
    agency: z.string(),
    roles: z.array(Role),
    expiresAt: Timestamp.nullable(),
  })
  .meta({ id: 'Token' });
export const TokenList = z.array(TokenInfo);
export const TokenCreated = z.looseObject({ ...TokenInfo.shape, token: z.string() });
export const TokenRevoked = z.looseObject({});

const UserInfo = z
  .looseObject({
    id: z.number().int(),
    user: z.string(),
    name: z.string().nullable(),
    country: Owner.country,
    agency: z.string(),
    roles: z.array(Role),
  })
  .meta({ id: 'User' });
export const UserList = z.array(UserInfo);
export const UserRecord = UserInfo;
export const PasswordSet = z.looseObject({});
export const UserDisabled = z.looseObject({});

const Organisation = z
  .object({
    code: z.string(),
    name: Bilingual,
    kind: z.string(),
    parent: z.string().nullable(),
    ...Owner,
    version: z.number().int(),
  })
  .meta({ id: 'Organisation' });
export const OrganisationList = z.array(Organisation);
export const OrganisationSaved = z.looseObject({ code: z.string() });

export const NoticeList = z.object({
  notices: z.array(
    z
      .looseObject({ id: z.number().int(), event: z.string(), title: z.string(), detail: z.string() })
      .meta({ id: 'Notice' }),
  ),
  unread: Count,
  total: Count,
});
export const NoticesRead = z.object({ marked: Count });

export const AuditHead = z.object({
  entries: Count,
  head: z.string().meta({ description: 'sha256 of the last entry of the hash chain' }),
  signature: z.string(),
  publicKey: z.string().meta({ description: 'PEM; verifies the signature of the head' }),
});

/** The workspace document (`docs/workspace-format.md`), as exported and as loaded. */
export const WorkspaceDocument = Workspace.meta({ id: 'Workspace' });
export const WorkspaceLoaded = z.looseObject({});
