/**
 * Row types of the records store, as Kysely sees them. Dates are ISO strings on both drivers
 * (see `database.ts`), so rows compare equal whether they came from PGlite or PostgreSQL.
 * @module
 */
import type { Role } from '../access/viewer.js';
import type { SeriesLink } from '../domain/workspace-schema.js';
import type { ProgramIati } from '../domain/iati/program-iati.js';
import type { ColumnType, Generated } from 'kysely';
import type { JobTable } from './job-schema.js';
import type { Nullable, RecordColumns, Timestamp } from './record-columns.js';
import type {
  DeflatorTable,
  ExchangeRateTable,
  FundingAccountTable,
  FundingLineTable,
} from './funding-schema.js';
import type { IncidentTable } from './incident-schema.js';
import type { StatsGenerationHolderTable, StatsGenerationTable } from './generation-schema.js';

type Json<T> = ColumnType<T, string, string>;

export type { Classification, Nullable, RecordColumns, Timestamp } from './record-columns.js';

export interface OrganisationTable extends RecordColumns {
  id: Generated<number>;
  code: string;
  name_en: string;
  name_es: string;
  kind: 'government' | 'implementer' | 'multilateral' | 'other';
  parent_code: string | null;
}

export interface FrameworkTable extends RecordColumns {
  id: Generated<number>;
  code: string;
  edition: string;
  title_en: string;
  title_es: string;
  description_en: string | null;
  description_es: string | null;
  source: string;
  official: boolean;
  note_en: string | null;
  note_es: string | null;
  levels: string[];
}

export interface FrameworkNodeTable extends RecordColumns {
  id: Generated<number>;
  framework_id: number;
  code: string;
  parent_id: number | null;
  level: string;
  title_en: string;
  title_es: string;
  description_en: string | null;
  description_es: string | null;
  position: number;
}

export interface CrosswalkLinkTable extends RecordColumns {
  id: Generated<number>;
  from_node_id: number;
  to_node_id: number;
  relation: 'equivalent' | 'broader' | 'narrower' | 'related';
  basis: 'official' | 'analytical';
  note_en: string | null;
  note_es: string | null;
}

export interface ProgramTable extends RecordColumns {
  id: Generated<number>;
  code: string;
  title_en: string;
  title_es: string;
  description_en: string | null;
  description_es: string | null;
  start_date: string | null;
  end_date: string | null;
  status: 'planned' | 'active' | 'suspended' | 'closed';
  /** Organisation codes (validated on write). */
  implementing: string[];
  funding: string[];
  /** `framework:node` references (validated on write). */
  serves: string[];
  locations: string[];
  /** Added by migration 0017: the program's IATI sectors and flow type. */
  iati: Json<ProgramIati | null>;
}

export interface IndicatorTable extends RecordColumns {
  id: Generated<number>;
  code: string;
  program_id: number;
  name_en: string;
  name_es: string;
  definition_en: string;
  definition_es: string;
  level: 'input' | 'activity' | 'output' | 'outcome' | 'impact';
  unit_en: string;
  unit_es: string;
  numerator_en: string | null;
  numerator_es: string | null;
  denominator_en: string | null;
  denominator_es: string | null;
  factor: number;
  direction: 'increase' | 'decrease';
  disaggregations: string[];
  data_source: string;
  method: string | null;
  frequency: 'monthly' | 'quarterly' | 'semiannual' | 'annual' | 'once';
  responsible: string;
  baseline_value: number | null;
  baseline_period: string | null;
  baseline_source: string | null;
  lop_target: number | null;
  aggregation: 'sum' | 'latest' | 'mean' | 'ratio_of_sums';
  quality_notes: string | null;
  /** For a statistics-linked indicator, the series query its actuals come from. */
  series: Json<SeriesLink | null>;
  /** Added by migration 0011: why the baseline or targets last changed once results existed. */
  change_reason: Nullable<string>;
}

export interface IndicatorVersionTable {
  indicator_id: number;
  version: number;
  definition: Json<Record<string, unknown>>;
  changed_at: Timestamp;
  changed_by: string;
}

export interface PeriodTable extends RecordColumns {
  code: string;
  kind: string;
  start_date: string;
  end_date: string;
  locked_at: string | null;
  locked_by: string | null;
  /** Added by migration 0006: an admin's reason for locking with results still unapproved. */
  lock_reason: Nullable<string>;
}

export interface TargetTable extends RecordColumns {
  id: Generated<number>;
  indicator_id: number;
  period_code: string;
  place: string | null;
  value: number;
}

export type ResultStatus = 'draft' | 'submitted' | 'approved' | 'locked';

export interface ResultTable extends RecordColumns {
  id: Generated<number>;
  indicator_id: number;
  period_code: string;
  place: string;
  disaggregation: Json<Record<string, string>>;
  disaggregation_key: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  evidence: string | null;
  status: ResultStatus;
  /** Added by migration 0006: the approver's comment when returning or approving, by whom and when. */
  review_comment: Nullable<string>;
  reviewed_by: Nullable<string>;
  reviewed_at: Nullable<string>;
}

/** A file's bytes, stored once under the SHA-256 of its content. */
export interface EvidenceBlobTable {
  sha256: string;
  media_type: string;
  size: number;
  content: Uint8Array;
  created_at: Timestamp;
}

/** One file attached to one result as its evidence: owned like the result, audited like any record. */
export interface ResultAttachmentTable extends RecordColumns {
  id: Generated<number>;
  result_id: number;
  sha256: string;
  filename: string;
  media_type: string;
  size: number;
  /** Migration 0014: set when the attachment was removed (a file attached by mistake), with the reason. */
  removed_at: ColumnType<string | null, string | null | undefined, string | null>;
  removed_by: ColumnType<string | null, string | null | undefined, string | null>;
  removal_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PracticeTable extends RecordColumns {
  id: Generated<number>;
  program_id: number;
  practice: string;
  state: 'met' | 'partial' | 'not_met' | 'not_applicable' | 'not_assessed';
  evidence: string | null;
  assessed_on: string | null;
  note: string | null;
}

export interface RiskTable extends RecordColumns {
  id: Generated<number>;
  program_id: number;
  code: string;
  description_en: string;
  description_es: string;
  likelihood: 'low' | 'medium' | 'high';
  impact: 'low' | 'medium' | 'high';
  mitigation: string | null;
  owner: string | null;
  status: 'open' | 'mitigated' | 'closed';
}

export interface LessonTable extends RecordColumns {
  id: Generated<number>;
  program_id: number;
  code: string;
  recorded_on: string;
  category: string;
  lesson_en: string;
  lesson_es: string;
  action: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: 'create' | 'update' | 'delete';
  entity: string;
  entity_key: string;
  before: Json<Record<string, unknown> | null>;
  after: Json<Record<string, unknown> | null>;
  prev_hash: string;
  hash: string;
  /** Added by migration 0007: Ed25519 signature of `hash` by the deployment's key, base64. */
  signature: Nullable<string>;
}

/** Migration 0009: the hash of the audit log's last entry, in its one row (`id` 1). */
export interface AuditHeadTable {
  id: number;
  hash: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_name: string;
  country: 'US' | 'MX';
  agency: string;
  token_hash: string;
  created_at: Timestamp;
  created_by: string;
  revoked_at: string | null;
  /** Added by migration 0005: the token's roles, its expiry, its last use and who revoked it. */
  roles: ColumnType<Role[], Role[] | undefined, Role[]>;
  expires_at: ColumnType<string, string | undefined, string>;
  last_used_at: string | null;
  revoked_by: string | null;
}

/** Migration 0008: people who sign in to the web pages. */
export interface UserTable {
  id: Generated<number>;
  user_name: string;
  display_name: string;
  country: 'US' | 'MX';
  agency: string;
  roles: Role[];
  password_hash: string;
  password_changed_at: string;
  created_at: string;
  created_by: string;
  disabled_at: string | null;
  disabled_by: string | null;
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  locked_until: string | null;
  /** Added by migration 0012: where and in which language notifications are sent. */
  email: Nullable<string>;
  language: ColumnType<'en' | 'es', 'en' | 'es' | undefined, 'en' | 'es'>;
  email_notifications: ColumnType<boolean, boolean | undefined, boolean>;
}

/** The kinds of event a user is notified of (migration 0012). */
export type NotificationEvent = 'submitted' | 'returned' | 'approved' | 'locked' | 'anomaly' | 'threshold';

/** Migration 0012: one user's notice of one event, from one audit entry. */
export interface NotificationTable {
  id: Generated<string>;
  user_id: number;
  entry: number;
  event: NotificationEvent;
  /** Names what the notice is about, unique per user and entry (`result:12`, `anomaly:08037:2024-03`). */
  key: string;
  subject: Json<Record<string, unknown>>;
  at: Timestamp;
  read_at: Nullable<string>;
}

export interface NotificationCursorTable {
  name: string;
  last_entry: number;
}

export interface FollowedPlaceTable {
  user_id: number;
  place: string;
  created_at: Timestamp;
}

export interface FeedKeyTable {
  user_id: number;
  key_hash: string;
  created_at: Timestamp;
}

export interface WebhookTable {
  id: Generated<number>;
  url: string;
  secret: string;
  events: NotificationEvent[];
  country: 'US' | 'MX';
  created_at: Timestamp;
  created_by: string;
  disabled_at: Nullable<string>;
  disabled_by: Nullable<string>;
}

/** Migration 0013: an indicator of a framework node, co-owned by both countries. */
export interface BenchmarkTable {
  id: Generated<number>;
  code: string;
  node_ref: string;
  name_en: string;
  name_es: string;
  definition_en: string;
  definition_es: string;
  unit_en: string;
  unit_es: string;
  direction: 'increase' | 'decrease';
  series: ColumnType<SeriesLink | null, string | null, string | null>;
  baseline_period: string | null;
  baseline_value: number | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
  version: ColumnType<number, number | undefined, number>;
}

/** Migration 0013: a benchmark's target for one period, with each country's approval. */
export interface BenchmarkTargetTable {
  id: Generated<number>;
  benchmark_id: number;
  period_code: string;
  value: number;
  proposed_at: Timestamp;
  proposed_by: string;
  approved_us_at: string | null;
  approved_us_by: string | null;
  approved_mx_at: string | null;
  approved_mx_by: string | null;
  version: ColumnType<number, number | undefined, number>;
}

/** Migration 0012: the outbox of e-mails and webhook calls. */
export interface DeliveryTable {
  id: Generated<string>;
  channel: 'email' | 'webhook';
  notification_id: Nullable<string>;
  webhook_id: Nullable<number>;
  payload: Json<Record<string, unknown>>;
  attempts: ColumnType<number, number | undefined, number>;
  next_at: Timestamp;
  delivered_at: Nullable<string>;
  failed_at: Nullable<string>;
  last_error: Nullable<string>;
  created_at: Timestamp;
}

/** Migration 0008: web sessions, stored by the hash of their cookie. */
export interface SessionTable {
  id: Generated<number>;
  token_hash: string;
  csrf_secret: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client: string | null;
  ended_at: string | null;
  ended_reason: SessionEnd | null;
}

/** Why a session ended. */
export type SessionEnd = 'signed out' | 'idle' | 'expired' | 'user disabled' | 'password changed';

export interface InterventionTable {
  id: Generated<number>;
  event_id: string;
  type: string;
  name: string;
  date: string;
  geo_level: 'state' | 'municipality';
  geo_codes: string[];
  source: string;
  country: 'US' | 'MX';
  agency: string;
  created_at: Timestamp;
  created_by: string;
}

export interface EvaluationTable {
  id: Generated<number>;
  hash: string;
  title: string;
  spec: Json<Record<string, unknown>>;
  result: Json<Record<string, unknown>>;
  marco: string;
  created_at: Timestamp;
  created_by: string;
}

/** The whole records database. */
export interface RecordsDatabase {
  funding_accounts: FundingAccountTable;
  exchange_rates: ExchangeRateTable;
  deflators: DeflatorTable;
  funding_lines: FundingLineTable;
  incidents: IncidentTable;
  organisations: OrganisationTable;
  frameworks: FrameworkTable;
  framework_nodes: FrameworkNodeTable;
  crosswalk_links: CrosswalkLinkTable;
  programs: ProgramTable;
  indicators: IndicatorTable;
  indicator_versions: IndicatorVersionTable;
  periods: PeriodTable;
  targets: TargetTable;
  results: ResultTable;
  evidence_blobs: EvidenceBlobTable;
  result_attachments: ResultAttachmentTable;
  practices: PracticeTable;
  risks: RiskTable;
  lessons: LessonTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  api_tokens: ApiTokenTable;
  interventions: InterventionTable;
  evaluations: EvaluationTable;
  users: UserTable;
  sessions: SessionTable;
  notifications: NotificationTable;
  notification_cursor: NotificationCursorTable;
  followed_places: FollowedPlaceTable;
  feed_keys: FeedKeyTable;
  webhooks: WebhookTable;
  deliveries: DeliveryTable;
  benchmarks: BenchmarkTable;
  benchmark_targets: BenchmarkTargetTable;
  jobs: JobTable;
  stats_generations: StatsGenerationTable;
  stats_generation_holders: StatsGenerationHolderTable;
}
