/**
 * IATI activity element → **activity**: the parts of one `<iati-activity>` the graph holds,
 * checked against the codelists (OrganisationType, OrganisationRole, TransactionType,
 * Currency, Country, Region, ActivityStatus, ActivityDateType) and for what the graph needs
 * (an identifier, numeric values, a currency for every amount). Every problem says where
 * (file:line:column and element path), what and why, and what it costs (acceptance.ts): an
 * element dropped, a transaction or budget skipped, or the activity skipped. What maps is
 * mapped, with a warning: version-1 letter codes of transaction types, role, date-type and
 * sector-vocabulary names, ISO alpha-3 country codes. Pure: no database.
 */
import { alpha2Of } from '../../countries/index.js';
import type { Problem } from '../../errors/expected.js';
import { boundedName, MAX_NAME, unquotedName } from '../../model/names.js';
import { withoutPercentSign } from './acceptance.js';
import { codelist, type CodelistName } from './codelists.js';
import { childNamed, childrenNamed, type TopLevelElement, type XmlElement } from './xml-reader.js';

export interface Narrative {
  lang: string;
  text: string;
}

/** An organisation as one element of the activity names it. */
export interface OrgMention {
  /** The IATI organisation identifier, trimmed; undefined when absent or blank. */
  ref?: string;
  /** OrganisationType code. */
  type?: string;
  names: Narrative[];
  /** The activity the organisation runs on its side (activity-id / provider-activity-id …). */
  activityId?: string;
  element: XmlElement;
}

export interface Participant extends OrgMention {
  /** OrganisationRole code: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing. */
  role: string;
}

export interface Amount {
  value: number;
  currency: string;
  valueDate: string;
}

/** A DAC sector: vocabulary 1 (5-digit purpose code) or 2 (3-digit category). */
export interface IatiSector {
  vocabulary: '1' | '2';
  code: string;
  percentage?: number;
  element: XmlElement;
}

export interface IatiTransaction extends Amount {
  type: string;
  date: string;
  provider?: OrgMention;
  receiver?: OrgMention;
  sectors: IatiSector[];
  element: XmlElement;
}

export interface IatiBudget extends Amount {
  kind: 'BUDGET' | 'PLANNED_DISBURSEMENT';
  /** BudgetType: 1 original, 2 revised. */
  type?: string;
  periodStart: string;
  periodEnd?: string;
  provider?: OrgMention;
  receiver?: OrgMention;
  element: XmlElement;
}

export interface IatiActivity {
  identifier: string;
  element: XmlElement;
  xml: string;
  lang: string;
  defaultCurrency?: string;
  hierarchy?: number;
  reportingOrg: OrgMention;
  titles: Narrative[];
  descriptions: Narrative[];
  participants: Participant[];
  status?: string;
  /** ActivityDateType code (1 planned start, 2 actual start, 3 planned end, 4 actual end) → ISO date. */
  dates: Record<string, string>;
  countries: { code: string; percentage?: number; element: XmlElement }[];
  regions: { code: string; percentage?: number; element: XmlElement }[];
  sectors: IatiSector[];
  related: { ref: string; type: string; element: XmlElement }[];
  budgets: IatiBudget[];
  transactions: IatiTransaction[];
}

const trimmed = (s: string | undefined) => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t === undefined || t === '' ? undefined : t;
};

/** Version-1 transaction type letters → the 2.0x codes (the IATI 1.0x → 2.01 mapping). */
const V1_TRANSACTION_TYPES: Readonly<Record<string, string>> = {
  IF: '1',
  C: '2',
  D: '3',
  E: '4',
  IR: '5',
  LR: '6',
  R: '7',
  QP: '8',
  QS: '9',
  CG: '10',
};
/** Version-1 role names → OrganisationRole codes. */
const V1_ROLES: Readonly<Record<string, string>> = {
  FUNDING: '1',
  ACCOUNTABLE: '2',
  EXTENDING: '3',
  IMPLEMENTING: '4',
};
/** Version-1 sector vocabulary names → SectorVocabulary codes (DAC 5-digit, DAC 3-digit). */
const V1_SECTOR_VOCABULARIES: Readonly<Record<string, '1' | '2'>> = {
  DAC: '1',
  'DAC-3': '2',
};
/** Version-1 activity date names → ActivityDateType codes. */
const V1_DATE_TYPES: Readonly<Record<string, string>> = {
  'START-PLANNED': '1',
  'START-ACTUAL': '2',
  'END-PLANNED': '3',
  'END-ACTUAL': '4',
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
/** Identifiers and refs longer than this are text, not identifiers (and too long to index). */
const MAX_IDENTIFIER = 300;

/** What a problem costs: an element dropped, a transaction or budget skipped, the activity. */
export type Cost = 'dropped' | 'skipped' | 'activity' | 'mapped';

const COST_TEXT: Record<Cost, (e: XmlElement) => string> = {
  dropped: (e) => `the <${e.name}> is dropped`,
  skipped: (e) => `this ${e.name} is skipped`,
  activity: () => 'the activity is skipped',
  mapped: () => '',
};

/**
 * Codes that a decimal upgrade added to an embedded codelist the importer checks (IATI's 2.02
 * and 2.03 changelogs). An activity of an earlier version that uses one breaks its own
 * version's rules; it is read as the later version defines the code, with a warning. Decimal
 * upgrades otherwise only add elements and attributes and relax occurrences, so the 2.03 schema
 * accepts every activity that is valid in 2.01 or 2.02.
 */
export const ADDED_IN: Partial<Record<CodelistName, Readonly<Record<string, string>>>> = {
  TransactionType: { '11': '2.02', '12': '2.03', '13': '2.03' },
};

/**
 * Reads one activity; its problems go to `problems`, each with what it cost. Returns the
 * activity without what was dropped or skipped, or undefined when the activity is skipped.
 */
export function readActivity(
  top: TopLevelElement,
  file: string,
  fileLang: string | undefined,
  problems: Problem[],
  /** Told of every cost as it is incurred, for the import's counts. */
  onCost: (cost: Cost) => void = () => {},
  /** The activity's own IATI version (2.01–2.03). */
  version = '2.03',
): IatiActivity | undefined {
  const a = top.element;
  let skipActivity = false;
  const identifierElement = childNamed(a, 'iati-identifier');
  const identifier = trimmed(identifierElement?.text) ?? '';
  const problem = (e: XmlElement, what: string, why: string, cost: Cost) => {
    if (cost === 'activity') skipActivity = true;
    onCost(cost);
    problems.push({
      file,
      line: e.line,
      column: e.column,
      path: e.path,
      severity: cost === 'activity' ? 'error' : 'warning',
      ...(identifier ? { activity: identifier } : {}),
      what,
      why: cost === 'mapped' ? why : `${why}; ${COST_TEXT[cost](e)}`,
    });
  };
  /** True when `code` is in `list` (active or withdrawn); otherwise says so at `cost`. */
  const known = (
    list: CodelistName,
    code: string,
    e: XmlElement,
    attribute: string,
    cost: Cost,
  ): boolean => {
    const { codes, withdrawn } = codelist(list);
    if (codes.has(code) || withdrawn.has(code)) {
      const added = ADDED_IN[list]?.[code];
      if (added && version < added) {
        problem(
          e,
          `${attribute}="${code}" was added to the ${list} codelist in version ${added}; this activity is version ${version}`,
          `read as ${added} defines it (${codes.get(code) ?? ''})`,
          'mapped',
        );
      }
      return true;
    }
    problem(
      e,
      `${attribute}="${code}" is not in the ${list} codelist`,
      `see vendor/iati-2.03/codelists/${list}.xml`,
      cost,
    );
    return false;
  };
  /** A code, mapped from version 1 where the mapping is defined, else checked. */
  const mapped = (
    list: CodelistName,
    raw: string,
    v1: Readonly<Record<string, string>>,
    e: XmlElement,
    attribute: string,
    cost: Cost,
  ): string | undefined => {
    const from1 = v1[raw.toUpperCase()];
    if (from1 && !codelist(list).codes.has(raw)) {
      problem(
        e,
        `${attribute}="${raw}" is a version-1 code`,
        `read as ${attribute}="${from1}" (${codelist(list).codes.get(from1) ?? ''})`,
        'mapped',
      );
      return from1;
    }
    return known(list, raw, e, attribute, cost) ? raw : undefined;
  };

  const lang = trimmed(a.attrs['xml:lang'])?.toLowerCase() ?? fileLang?.toLowerCase() ?? 'en';
  const narratives = (e: XmlElement | undefined): Narrative[] =>
    e
      ? childrenNamed(e, 'narrative')
          .map((n) => ({
            lang: trimmed(n.attrs['xml:lang'])?.toLowerCase() ?? lang,
            text: trimmed(n.text) ?? '',
          }))
          .filter((n) => n.text !== '')
      : [];
  /** Warns of each narrative of `e` longer than a name may be (model/names.ts). */
  const warnOfLongNames = (e: XmlElement | undefined, what: string, why: string) => {
    for (const n of e ? childrenNamed(e, 'narrative') : []) {
      const length = [...(trimmed(n.text) ?? '')].length;
      if (length > MAX_NAME) problem(n, `${what} of ${length} characters`, why, 'mapped');
    }
  };
  /**
   * The narratives of a name, each bounded (a paragraph is cut to its first words, with a
   * warning) and without quotation marks around the whole of it.
   */
  const names = (e: XmlElement): Narrative[] => {
    warnOfLongNames(
      e,
      'a name',
      `a name is at most ${MAX_NAME} characters (this reads as a description); its first words are kept, ending in "…"`,
    );
    return narratives(e).map((n) => ({ ...n, text: boundedName(unquotedName(n.text)) }));
  };
  const mention = (e: XmlElement, activityAttribute: string): OrgMention => {
    let type = trimmed(e.attrs.type);
    if (type !== undefined && !known('OrganisationType', type, e, 'type', 'mapped')) {
      type = undefined;
    }
    let ref = trimmed(e.attrs.ref);
    if (ref !== undefined && ref.length > MAX_IDENTIFIER) {
      // A paragraph typed into @ref: no identifier (and too long for an index).
      problem(
        e,
        `ref of ${ref.length} characters`,
        'no identifier is that long; the ref is ignored',
        'mapped',
      );
      ref = undefined;
    }
    let activityId = trimmed(e.attrs[activityAttribute]);
    if (activityId !== undefined && activityId.length > MAX_IDENTIFIER) activityId = undefined;
    return {
      ...(ref ? { ref } : {}),
      ...(type ? { type } : {}),
      ...(activityId ? { activityId } : {}),
      names: names(e),
      element: e,
    };
  };

  if (identifier.length > MAX_IDENTIFIER) {
    problem(
      identifierElement ?? a,
      `iati-identifier of ${identifier.length} characters`,
      'no identifier is that long',
      'activity',
    );
  }
  if (identifier === '') {
    problem(
      identifierElement ?? a,
      'no iati-identifier',
      'every activity needs its identifier: it is the programme key',
      'activity',
    );
  }
  /** A currency code of the codelist; one written in lower case (`eur`) is read in capitals. */
  const currencyCode = (raw: string, e: XmlElement, attribute: string, cost: Cost) => {
    const upper = raw.toUpperCase();
    if (upper !== raw && codelist('Currency').codes.has(upper)) {
      problem(
        e,
        `${attribute}="${raw}" is not in capitals`,
        `read as ${attribute}="${upper}"`,
        'mapped',
      );
      return upper;
    }
    return known('Currency', raw, e, attribute, cost) ? raw : undefined;
  };
  const rawDefaultCurrency = trimmed(a.attrs['default-currency']);
  const defaultCurrency = rawDefaultCurrency
    ? currencyCode(rawDefaultCurrency, a, 'default-currency', 'mapped')
    : undefined;
  const hierarchyText = trimmed(a.attrs.hierarchy);
  const hierarchy = hierarchyText === undefined ? undefined : Number(hierarchyText);

  const reporting = childNamed(a, 'reporting-org');
  const reportingOrg = reporting ? mention(reporting, 'activity-id') : undefined;
  if (!reportingOrg || (!reportingOrg.ref && reportingOrg.names.length === 0)) {
    problem(
      reporting ?? a,
      'no reporting organisation',
      'the graph records who reports each programme: give <reporting-org ref="…"> with a name',
      'activity',
    );
  }
  const titleElement = childNamed(a, 'title');
  const titles = narratives(titleElement);
  warnOfLongNames(
    titleElement,
    'a title',
    `a programme's name is at most ${MAX_NAME} characters: where this title names the programme, its first words do, ending in "…"; \`titles\` keeps it whole`,
  );
  if (titles.length === 0) {
    problem(
      titleElement ?? a,
      'no title',
      'a programme needs a name: give <title><narrative>',
      'activity',
    );
  }
  const description =
    childrenNamed(a, 'description').find((d) => (d.attrs.type ?? '1').trim() === '1') ?? undefined;

  const participants: Participant[] = childrenNamed(a, 'participating-org').flatMap((e) => {
    const raw = trimmed(e.attrs.role) ?? '';
    const role = mapped('OrganisationRole', raw, V1_ROLES, e, 'role', 'dropped');
    if (role === undefined) return [];
    const m = mention(e, 'activity-id');
    if (!m.ref && m.names.length === 0) {
      problem(
        e,
        'participating-org without ref or name',
        'an organisation needs an identifier or a name',
        'dropped',
      );
      return [];
    }
    return [{ ...m, role }];
  });

  const statusElement = childNamed(a, 'activity-status');
  let status = trimmed(statusElement?.attrs.code);
  if (statusElement && status !== undefined) {
    if (!known('ActivityStatus', status, statusElement, 'code', 'dropped')) status = undefined;
  }

  const dates: Record<string, string> = {};
  for (const d of childrenNamed(a, 'activity-date')) {
    const raw = trimmed(d.attrs.type) ?? '';
    const type = mapped('ActivityDateType', raw, V1_DATE_TYPES, d, 'type', 'dropped');
    const date = trimmed(d.attrs['iso-date']);
    if (type === undefined || date === undefined) continue;
    if (!ISO_DATE.test(date)) {
      problem(d, `iso-date="${date}" is not a date`, 'dates are YYYY-MM-DD', 'dropped');
      continue;
    }
    dates[type] = date.slice(0, 10);
  }

  const percentage = (e: XmlElement) => {
    const p = trimmed(e.attrs.percentage);
    if (p === undefined) return {};
    // `60%` is read as 60: the schema's problem said so (acceptance.ts).
    const n = Number(withoutPercentSign(p) ?? p);
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      problem(
        e,
        `percentage="${p}" is not a number from 0 to 100`,
        'a share of the activity',
        'dropped',
      );
      return undefined;
    }
    return { percentage: n };
  };
  const countries = childrenNamed(a, 'recipient-country').flatMap((e) => {
    const raw = trimmed(e.attrs.code)?.toUpperCase() ?? '';
    const alpha2 = alpha2Of(raw);
    let code = raw;
    if (alpha2 && !codelist('Country').codes.has(raw)) {
      problem(e, `code="${raw}" is an ISO alpha-3 code`, `read as code="${alpha2}"`, 'mapped');
      code = alpha2;
    } else if (!known('Country', raw, e, 'code', 'dropped')) return [];
    const share = percentage(e);
    return share ? [{ code, ...share, element: e }] : [];
  });
  const regions = childrenNamed(a, 'recipient-region')
    // Only the OECD DAC region codes (vocabulary 1) are a shared list of places.
    .filter((e) => (trimmed(e.attrs.vocabulary) ?? '1') === '1')
    .flatMap((e) => {
      const code = trimmed(e.attrs.code) ?? '';
      if (!known('Region', code, e, 'code', 'dropped')) return [];
      const share = percentage(e);
      return share ? [{ code, ...share, element: e }] : [];
    });
  const sectorsOf = (owner: XmlElement): IatiSector[] =>
    childrenNamed(owner, 'sector').flatMap((e) => {
      const raw = trimmed(e.attrs.vocabulary) ?? '1';
      const v1 = V1_SECTOR_VOCABULARIES[raw.toUpperCase()];
      if (v1) {
        problem(
          e,
          `vocabulary="${raw}" is a version-1 name`,
          `read as vocabulary="${v1}"`,
          'mapped',
        );
      }
      const vocabulary = v1 ?? raw;
      // Other vocabularies (a publisher's own, UN, SDG targets…) are no shared list: not read.
      if (vocabulary !== '1' && vocabulary !== '2') return [];
      const code = trimmed(e.attrs.code) ?? '';
      const list = vocabulary === '1' ? 'Sector' : 'SectorCategory';
      if (!known(list, code, e, 'code', 'dropped')) return [];
      const share = percentage(e);
      return share ? [{ vocabulary, code, ...share, element: e }] : [];
    });
  const sectors = sectorsOf(a);
  const related = childrenNamed(a, 'related-activity').flatMap((e) => {
    const ref = trimmed(e.attrs.ref);
    const type = trimmed(e.attrs.type) ?? '';
    return ref ? [{ ref, type, element: e }] : [];
  });

  /** The amount of a transaction or budget; undefined (and the owner skipped) when unusable. */
  const amount = (owner: XmlElement): Amount | undefined => {
    const v = childNamed(owner, 'value');
    if (!v) {
      problem(owner, `${owner.name} without value`, 'an amount needs <value>', 'skipped');
      return undefined;
    }
    const text = trimmed(v.text) ?? '';
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      problem(
        owner,
        `value "${text}" is not a number`,
        'IATI values are decimals such as 1500.50',
        'skipped',
      );
      return undefined;
    }
    const own = trimmed(v.attrs.currency);
    if (!own && !defaultCurrency) {
      problem(
        owner,
        'no currency',
        'give <value currency="…"> or the activity\'s default-currency',
        'skipped',
      );
      return undefined;
    }
    const currency = own ? currencyCode(own, owner, 'currency', 'skipped') : defaultCurrency;
    if (!currency) return undefined;
    const valueDate = trimmed(v.attrs['value-date']) ?? '';
    return { value, currency, valueDate: ISO_DATE.test(valueDate) ? valueDate.slice(0, 10) : '' };
  };
  /** A date attribute of `owner`'s child `name`; undefined (and the owner skipped) when not a date. */
  const dateOf = (owner: XmlElement, name: string): string | undefined => {
    const date = trimmed(childNamed(owner, name)?.attrs['iso-date']);
    if (date !== undefined && ISO_DATE.test(date)) return date.slice(0, 10);
    problem(
      owner,
      date === undefined ? `no ${name}` : `${name} iso-date="${date}" is not a date`,
      'money needs its date (YYYY-MM-DD)',
      'skipped',
    );
    return undefined;
  };
  const party = (owner: XmlElement, name: string, attribute: string) => {
    const e = childNamed(owner, name);
    return e ? { [name === 'provider-org' ? 'provider' : 'receiver']: mention(e, attribute) } : {};
  };

  const budgets: IatiBudget[] = [];
  for (const kind of ['budget', 'planned-disbursement'] as const) {
    for (const b of childrenNamed(a, kind)) {
      const periodStart = dateOf(b, 'period-start');
      if (!periodStart) continue;
      const money = amount(b);
      if (!money) continue;
      const end = trimmed(childNamed(b, 'period-end')?.attrs['iso-date']);
      const periodEnd = end && ISO_DATE.test(end) ? end.slice(0, 10) : undefined;
      const type = trimmed(b.attrs.type);
      budgets.push({
        kind: kind === 'budget' ? 'BUDGET' : 'PLANNED_DISBURSEMENT',
        ...(type ? { type } : {}),
        periodStart,
        ...(periodEnd ? { periodEnd } : {}),
        ...money,
        valueDate: money.valueDate || periodStart,
        ...party(b, 'provider-org', 'provider-activity-id'),
        ...party(b, 'receiver-org', 'receiver-activity-id'),
        element: b,
      });
    }
  }

  const transactions: IatiTransaction[] = [];
  for (const t of childrenNamed(a, 'transaction')) {
    const typeElement = childNamed(t, 'transaction-type');
    const raw = trimmed(typeElement?.attrs.code) ?? '';
    if (!typeElement || raw === '') {
      problem(t, 'no transaction-type code', 'a transaction needs its type', 'skipped');
      continue;
    }
    const type = mapped(
      'TransactionType',
      raw,
      V1_TRANSACTION_TYPES,
      typeElement,
      'code',
      'skipped',
    );
    if (type === undefined) continue;
    const date = dateOf(t, 'transaction-date');
    if (!date) continue;
    const money = amount(t);
    if (!money) continue;
    transactions.push({
      type,
      date,
      ...money,
      valueDate: money.valueDate || date,
      ...party(t, 'provider-org', 'provider-activity-id'),
      ...party(t, 'receiver-org', 'receiver-activity-id'),
      sectors: sectorsOf(t),
      element: t,
    });
  }

  if (skipActivity || !reportingOrg) return undefined;
  return {
    identifier,
    element: a,
    xml: top.xml,
    lang,
    ...(defaultCurrency ? { defaultCurrency } : {}),
    ...(hierarchy !== undefined && Number.isInteger(hierarchy) ? { hierarchy } : {}),
    reportingOrg,
    titles,
    descriptions: narratives(description),
    participants,
    ...(status ? { status } : {}),
    dates,
    countries,
    regions,
    sectors,
    related,
    budgets,
    transactions,
  };
}

/** Every organisation mention of an activity, its reporting organisation first. */
export function orgMentions(a: IatiActivity): { mention: OrgMention; reporting: boolean }[] {
  return [
    { mention: a.reportingOrg, reporting: true },
    ...a.participants.map((mention) => ({ mention, reporting: false })),
    ...[...a.transactions, ...a.budgets].flatMap((t) =>
      [t.provider, t.receiver]
        .filter((m): m is OrgMention => m !== undefined)
        .map((mention) => ({ mention, reporting: false })),
    ),
  ];
}

/** The activity's mentions as ref evidence needs them: ref, first name, reporting or not. */
export const mentionsForEvidence = (a: IatiActivity) =>
  orgMentions(a).map(({ mention, reporting }) => ({
    ...(mention.ref ? { ref: mention.ref } : {}),
    ...(mention.names[0] ? { name: mention.names[0].text } : {}),
    reporting,
  }));
