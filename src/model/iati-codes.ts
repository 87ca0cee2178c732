/**
 * Our vocabulary mapped to IATI code lists, both ways, so the graph meets IATI data:
 * OrganisationType (https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/),
 * OrganisationRole (1 Funding, 2 Accountable, 3 Extending, 4 Implementing), ActivityStatus and
 * TransactionType.
 */
import type { ENUMS, OrganisationKind, ParticipationRole } from './index.js';

/** The IATI OrganisationType of each kind (null: the source does not say). */
export const IATI_ORGANISATION_TYPE: Record<OrganisationKind, string | null> = {
  MINISTRY: '10', // Government
  GOVERNMENT_AGENCY: '10',
  POLICE: '10',
  GOVERNMENT: '10',
  LOCAL_GOVERNMENT: '11',
  PUBLIC_BODY: '15', // Other Public Sector
  INTERNATIONAL_NGO: '21',
  NGO: '22', // National NGO
  REGIONAL_NGO: '23',
  PARTNER_COUNTRY_NGO: '24',
  PUBLIC_PRIVATE_PARTNERSHIP: '30',
  EU_BODY: '40', // Multilateral
  MULTILATERAL: '40',
  FOUNDATION: '60',
  COMPANY: '70', // Private Sector
  PRIVATE_SECTOR_PROVIDER_COUNTRY: '71',
  PRIVATE_SECTOR_RECIPIENT_COUNTRY: '72',
  PRIVATE_SECTOR_THIRD_COUNTRY: '73',
  ACADEMIC: '80',
  NETWORK: '90', // Other
  ASSOCIATION: '90',
  UNNAMED_GROUP: '90',
  OTHER: '90',
  UNSPECIFIED: null,
};

/** The kind an IATI OrganisationType code stands for when a publisher states it. */
export const KIND_OF_IATI_TYPE: Readonly<Record<string, OrganisationKind>> = {
  '10': 'GOVERNMENT',
  '11': 'LOCAL_GOVERNMENT',
  '15': 'PUBLIC_BODY',
  '21': 'INTERNATIONAL_NGO',
  '22': 'NGO',
  '23': 'REGIONAL_NGO',
  '24': 'PARTNER_COUNTRY_NGO',
  '30': 'PUBLIC_PRIVATE_PARTNERSHIP',
  '40': 'MULTILATERAL',
  '60': 'FOUNDATION',
  '70': 'COMPANY',
  '71': 'PRIVATE_SECTOR_PROVIDER_COUNTRY',
  '72': 'PRIVATE_SECTOR_RECIPIENT_COUNTRY',
  '73': 'PRIVATE_SECTOR_THIRD_COUNTRY',
  '80': 'ACADEMIC',
  '90': 'OTHER',
};

export const IATI_PARTICIPATION_ROLE: Record<ParticipationRole, string> = {
  LEAD: '2', // Accountable: the consortium lead answers for the grant
  PARTNER: '4',
  LOCAL_PARTNER: '4',
  IMPLEMENTING: '4',
  COOPERATING: '4',
};

type ActivityStatus = (typeof ENUMS.ActivityStatus)[number];
type TransactionType = (typeof ENUMS.TransactionType)[number];

/** ActivityStatus codes 1–6, in order. */
export const ACTIVITY_STATUS: Readonly<Record<string, ActivityStatus>> = {
  '1': 'PIPELINE',
  '2': 'IMPLEMENTATION',
  '3': 'FINALISATION',
  '4': 'CLOSED',
  '5': 'CANCELLED',
  '6': 'SUSPENDED',
};

/** TransactionType codes 1–13. */
export const TRANSACTION_TYPE: Readonly<Record<string, TransactionType>> = {
  '1': 'INCOMING_FUNDS',
  '2': 'OUTGOING_COMMITMENT',
  '3': 'DISBURSEMENT',
  '4': 'EXPENDITURE',
  '5': 'INTEREST_PAYMENT',
  '6': 'LOAN_REPAYMENT',
  '7': 'REIMBURSEMENT',
  '8': 'PURCHASE_OF_EQUITY',
  '9': 'SALE_OF_EQUITY',
  '10': 'CREDIT_GUARANTEE',
  '11': 'INCOMING_COMMITMENT',
  '12': 'OUTGOING_PLEDGE',
  '13': 'INCOMING_PLEDGE',
};
