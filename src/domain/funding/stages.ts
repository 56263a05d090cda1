/**
 * The stages a dollar passes through, in order, and how each is written in an IATI 2.03 activity: a
 * request and an appropriation are budgets (indicative, then committed), an allocation a revised budget,
 * and an obligation, a disbursement and an expenditure are transactions of IATI's TransactionType
 * codelist (2 Outgoing Commitment, 3 Disbursement, 4 Expenditure). docs/funding.md defines each.
 * @module
 */

export const FUNDING_STAGES = [
  'request',
  'appropriation',
  'allocation',
  'obligation',
  'disbursement',
  'expenditure',
] as const;
export type FundingStage = (typeof FUNDING_STAGES)[number];

/** How a stage is written in IATI: a budget (BudgetType, BudgetStatus) or a transaction (TransactionType). */
export type IatiForm =
  | { element: 'budget'; type: '1' | '2'; status: '1' | '2' }
  | { element: 'transaction'; type: '2' | '3' | '4' };

export const IATI_FORM: Record<FundingStage, IatiForm> = {
  request: { element: 'budget', type: '1', status: '1' },
  appropriation: { element: 'budget', type: '1', status: '2' },
  allocation: { element: 'budget', type: '2', status: '2' },
  obligation: { element: 'transaction', type: '2' },
  disbursement: { element: 'transaction', type: '3' },
  expenditure: { element: 'transaction', type: '4' },
};

/** A stage's place in the order: money obligated is later than money appropriated. */
export const stageRank = (stage: FundingStage): number => FUNDING_STAGES.indexOf(stage);
