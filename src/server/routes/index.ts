/**
 * The API's route table, area by area, in the order the OpenAPI document lists them.
 * @module
 */
import type { AnyRoute } from '../route.js';
import * as attachments from './attachments.js';
import * as audit from './audit.js';
import * as downloads from './downloads.js';
import * as benchmarks from './benchmarks.js';
import * as evaluations from './evaluations.js';
import * as frameworks from './frameworks.js';
import * as funding from './funding.js';
import * as iati from './iati.js';
import * as incidentRoutes from './incidents.js';
import * as exportsRoutes from './exports.js';
import * as fetches from './fetches.js';
import * as jobs from './jobs.js';
import * as networks from './networks.js';
import * as notifications from './notifications.js';
import { imports, rollback } from './imports.js';
import * as indicators from './indicators.js';
import * as organisations from './organisations.js';
import * as programs from './programs.js';
import * as results from './results.js';
import { importResultsRoute } from './results-exchange.js';
import * as scorecards from './scorecards.js';
import * as statistics from './statistics.js';
import * as tokens from './tokens.js';
import * as users from './users.js';
import * as workspace from './workspace.js';

export const API_ROUTES: readonly AnyRoute[] = [
  statistics.sources,
  statistics.measures,
  statistics.reconciliation,
  statistics.claims,
  statistics.series,
  imports,
  rollback,
  statistics.anomalies,
  statistics.boundaries,
  networks.network,
  networks.networkGroups,
  networks.networkGroup,
  incidentRoutes.incidents,
  incidentRoutes.incident,
  incidentRoutes.saveIncidentsRoute,
  downloads.seriesPackage,
  downloads.storePackage,
  downloads.catalog,
  evaluations.interventions,
  evaluations.addIntervention,
  evaluations.evaluations,
  evaluations.runEvaluation,
  evaluations.evaluation,
  frameworks.frameworks,
  frameworks.framework,
  frameworks.nodes,
  frameworks.crosswalk,
  benchmarks.benchmarks,
  benchmarks.saveBenchmarksRoute,
  benchmarks.approveTargetRoute,
  programs.programs,
  programs.program,
  programs.editProgram,
  programs.practices,
  indicators.indicators,
  indicators.indicator,
  indicators.targets,
  results.results,
  results.enterResult,
  results.result,
  results.editResult,
  importResultsRoute,
  attachments.attachments,
  attachments.attach,
  attachments.removeAttachment,
  results.approveResults,
  scorecards.scorecards,
  funding.fundingLines,
  funding.fundingAccounts,
  funding.fundingActuals,
  funding.fundingDeflator,
  funding.fundingSummary,
  iati.iatiActivities,
  funding.saveFunding,
  funding.submitFunding,
  funding.approveFunding,
  funding.returnFunding,
  workspace.exportDocument,
  workspace.loadDocument,
  results.lockPeriod,
  audit.head,
  tokens.tokens,
  tokens.createTokenRoute,
  tokens.revokeTokenRoute,
  organisations.organisations,
  organisations.saveOrganisation,
  users.users,
  users.createUserRoute,
  users.setPasswordRoute,
  users.disableUserRoute,
  notifications.notices,
  notifications.readNotices,
  jobs.requestReport,
  exportsRoutes.requestExport,
  fetches.requestFetch,
  jobs.jobs,
  jobs.job,
  jobs.cancel,
  jobs.retry,
  jobs.output,
];
