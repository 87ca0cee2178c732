/** How a join of two spellings reads for a reviewer (`npm run iati:merges`). */
import type { MergeRecord } from '../resolve/organisations.js';

export const formatMerge = (m: MergeRecord) =>
  `${m.where}: "${m.joined}" joined ${m.key} ("${m.into}") — ${m.reason}`;
