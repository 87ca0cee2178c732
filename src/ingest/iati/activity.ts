/**
 * IATI activity element → **activity**: the parts of one `<iati-activity>` the graph holds,
 * checked against the codelists (OrganisationType, OrganisationRole, TransactionType,
 * Currency, Country, Region, ActivityStatus, ActivityDateType) and for what the graph needs
 * (an identifier, numeric values, a currency for every amount). Every problem says where
 * (file:line:column and element path), what and why. Pure: no database.
 */
import type { Problem } from '../../errors/expected.js';
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

export interface IatiTransaction extends Amount {
  type: string;
  date: string;
  provider?: OrgMention;
  receiver?: OrgMention;
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
  reportingOrg?: OrgMention;
  titles: Narrative[];
  descriptions: Narrative[];
  participants: Participant[];
  status?: string;
  /** ActivityDateType code (1 planned start, 2 actual start, 3 planned end, 4 actual end) → ISO date. */
  dates: Record<string, string>;
  countries: { code: string; percentage?: number; element: XmlElement }[];
  regions: { code: string; percentage?: number; element: XmlElement }[];
  related: { ref: string; type: string; element: XmlElement }[];
  budgets: IatiBudget[];
  transactions: IatiTransaction[];
}

const trimmed = (s: string | undefined) => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t === undefined || t === '' ? undefined : t;
};

/** Reads one activity; problems go to `problems`, and the activity is returned all the same. */
export function readActivity(
  top: TopLevelElement,
  file: string,
  fileLang: string | undefined,
  problems: Problem[],
): IatiActivity {
  const a = top.element;
  const problem = (e: XmlElement, what: string, why: string) =>
    problems.push({ file, line: e.line, column: e.column, path: e.path, what, why });
  const check = (
    list: CodelistName,
    code: string | undefined,
    e: XmlElement,
    attribute: string,
    filter?: (code: string) => boolean,
  ) => {
    if (code === undefined || (filter && !filter(code))) return;
    const { codes, withdrawn } = codelist(list);
    if (!codes.has(code) && !withdrawn.has(code)) {
      problem(
        e,
        `${attribute}="${code}" is not in the ${list} codelist`,
        `see vendor/iati-2.03/codelists/${list}.xml`,
      );
    }
  };

  const lang = trimmed(a.attrs['xml:lang']) ?? fileLang ?? 'en';
  const narratives = (e: XmlElement | undefined): Narrative[] =>
    e
      ? childrenNamed(e, 'narrative')
          .map((n) => ({
            lang: trimmed(n.attrs['xml:lang'])?.toLowerCase() ?? lang,
            text: trimmed(n.text) ?? '',
          }))
          .filter((n) => n.text !== '')
      : [];
  const mention = (e: XmlElement, activityAttribute: string): OrgMention => {
    const type = trimmed(e.attrs.type);
    check('OrganisationType', type, e, 'type');
    const ref = trimmed(e.attrs.ref);
    const activityId = trimmed(e.attrs[activityAttribute]);
    return {
      ...(ref ? { ref } : {}),
      ...(type ? { type } : {}),
      ...(activityId ? { activityId } : {}),
      names: narratives(e),
      element: e,
    };
  };

  const identifierElement = childNamed(a, 'iati-identifier');
  const identifier = trimmed(identifierElement?.text) ?? '';
  if (identifier === '') {
    problem(
      identifierElement ?? a,
      'no iati-identifier',
      'every activity needs its identifier: it is the programme key',
    );
  }
  const defaultCurrency = trimmed(a.attrs['default-currency']);
  check('Currency', defaultCurrency, a, 'default-currency');
  const hierarchyText = trimmed(a.attrs.hierarchy);
  const hierarchy = hierarchyText === undefined ? undefined : Number(hierarchyText);

  const reporting = childNamed(a, 'reporting-org');
  const titleElement = childNamed(a, 'title');
  const titles = narratives(titleElement);
  if (titles.length === 0) {
    problem(titleElement ?? a, 'no title', 'a programme needs a name: give <title><narrative>');
  }
  const description =
    childrenNamed(a, 'description').find((d) => (d.attrs.type ?? '1').trim() === '1') ?? undefined;

  const participants: Participant[] = childrenNamed(a, 'participating-org').map((e) => {
    const role = trimmed(e.attrs.role) ?? '';
    check('OrganisationRole', role, e, 'role');
    const m = mention(e, 'activity-id');
    if (!m.ref && m.names.length === 0) {
      problem(
        e,
        'participating-org without ref or name',
        'an organisation needs an identifier or a name',
      );
    }
    return { ...m, role };
  });

  const statusElement = childNamed(a, 'activity-status');
  const status = trimmed(statusElement?.attrs.code);
  if (statusElement) check('ActivityStatus', status, statusElement, 'code');

  const dates: Record<string, string> = {};
  for (const d of childrenNamed(a, 'activity-date')) {
    const type = trimmed(d.attrs.type);
    check('ActivityDateType', type, d, 'type');
    const date = trimmed(d.attrs['iso-date']);
    if (type && date) dates[type] = date;
  }

  const percentage = (e: XmlElement) => {
    const p = trimmed(e.attrs.percentage);
    if (p === undefined) return {};
    const n = Number(p);
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      problem(e, `percentage="${p}" is not a number from 0 to 100`, 'a share of the activity');
      return {};
    }
    return { percentage: n };
  };
  const countries = childrenNamed(a, 'recipient-country').map((e) => {
    const code = trimmed(e.attrs.code)?.toUpperCase() ?? '';
    check('Country', code, e, 'code');
    return { code, ...percentage(e), element: e };
  });
  const regions = childrenNamed(a, 'recipient-region')
    // Only the OECD DAC region codes (vocabulary 1) are a shared list of places.
    .filter((e) => (trimmed(e.attrs.vocabulary) ?? '1') === '1')
    .map((e) => {
      const code = trimmed(e.attrs.code) ?? '';
      check('Region', code, e, 'code');
      return { code, ...percentage(e), element: e };
    });
  const related = childrenNamed(a, 'related-activity').flatMap((e) => {
    const ref = trimmed(e.attrs.ref);
    const type = trimmed(e.attrs.type) ?? '';
    return ref ? [{ ref, type, element: e }] : [];
  });

  const amount = (owner: XmlElement): Amount | undefined => {
    const v = childNamed(owner, 'value');
    if (!v) {
      problem(owner, `${owner.name} without value`, 'an amount needs <value>');
      return undefined;
    }
    const text = trimmed(v.text) ?? '';
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      problem(v, `value "${text}" is not a number`, 'IATI values are decimals such as 1500.50');
      return undefined;
    }
    const currency = trimmed(v.attrs.currency) ?? defaultCurrency;
    if (!currency) {
      problem(v, 'no currency', 'give <value currency="…"> or the activity\'s default-currency');
      return undefined;
    }
    if (trimmed(v.attrs.currency)) check('Currency', currency, v, 'currency');
    const valueDate = trimmed(v.attrs['value-date']) ?? '';
    return { value, currency, valueDate };
  };
  const party = (owner: XmlElement, name: string, attribute: string) => {
    const e = childNamed(owner, name);
    return e ? { [name === 'provider-org' ? 'provider' : 'receiver']: mention(e, attribute) } : {};
  };

  const budgets: IatiBudget[] = [];
  for (const kind of ['budget', 'planned-disbursement'] as const) {
    for (const b of childrenNamed(a, kind)) {
      const money = amount(b);
      const periodStart = trimmed(childNamed(b, 'period-start')?.attrs['iso-date']);
      const periodEnd = trimmed(childNamed(b, 'period-end')?.attrs['iso-date']);
      if (!money || !periodStart) continue;
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
    const type = trimmed(typeElement?.attrs.code) ?? '';
    check('TransactionType', type, typeElement ?? t, 'code');
    const date = trimmed(childNamed(t, 'transaction-date')?.attrs['iso-date']) ?? '';
    const money = amount(t);
    if (!money || date === '' || !typeElement) continue;
    transactions.push({
      type,
      date,
      ...money,
      valueDate: money.valueDate || date,
      ...party(t, 'provider-org', 'provider-activity-id'),
      ...party(t, 'receiver-org', 'receiver-activity-id'),
      element: t,
    });
  }

  return {
    identifier,
    element: a,
    xml: top.xml,
    lang,
    ...(defaultCurrency ? { defaultCurrency } : {}),
    ...(hierarchy !== undefined && Number.isInteger(hierarchy) ? { hierarchy } : {}),
    ...(reporting ? { reportingOrg: mention(reporting, 'activity-id') } : {}),
    titles,
    descriptions: narratives(description),
    participants,
    ...(status ? { status } : {}),
    dates,
    countries,
    regions,
    related,
    budgets,
    transactions,
  };
}
