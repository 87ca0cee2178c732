/**
 * Our vocabulary mapped to IATI code lists, so the graph meets IATI data:
 * OrganisationType (https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/)
 * and OrganisationRole (1 Funding, 2 Accountable, 3 Extending, 4 Implementing).
 */
import type { OrganisationKind, ParticipationRole } from './index.js';

export const IATI_ORGANISATION_TYPE: Record<OrganisationKind, string> = {
  MINISTRY: '10', // Government
  GOVERNMENT_AGENCY: '10', // Government
  POLICE: '10', // Government
  PUBLIC_BODY: '15', // Other Public Sector
  EU_BODY: '40', // Multilateral
  INTERNATIONAL_NGO: '21', // International NGO
  NGO: '22', // National NGO
  COMPANY: '70', // Private Sector
  NETWORK: '90', // Other
  ASSOCIATION: '90', // Other
  UNNAMED_GROUP: '90', // Other
};

export const IATI_PARTICIPATION_ROLE: Record<ParticipationRole, string> = {
  LEAD: '2', // Accountable: the consortium lead answers for the grant
  PARTNER: '4',
  LOCAL_PARTNER: '4',
  IMPLEMENTING: '4',
  COOPERATING: '4',
};
