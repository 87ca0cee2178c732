/**
 * The rules a stored node or relationship obeys, whoever writes it. Defined once, here; the
 * page's extraction format (ingest/page/extraction-schema.ts) is built from these atoms, and
 * editors' mutations are checked against them (api/mutation-rules.ts) — so an editor cannot
 * store what the importer would refuse.
 */
import { z } from 'zod';
import { IATI_ORGANISATION_TYPE, KIND_OF_IATI_TYPE } from './iati-codes.js';
import type { NodeLabel, OrganisationKind } from './index.js';
import { MAX_NAME } from './names.js';

/** A lower-case slug: the keys the page gives and the resolver makes (IATI refs slugged too). */
export const slugKey = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lower-case slug such as plan-international-nederland');
/** An identifier as a publisher gives it (an IATI activity identifier): no spaces. */
export const identifierKey = z
  .string()
  .min(1, 'not empty')
  .max(300, 'at most 300 characters')
  .regex(/^[^\s\p{Cc}]+$/u, 'an identifier without spaces or control characters');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as ET');

export const quote = z.string().trim().min(2, 'a verbatim passage of the source');
export const text = z.string().trim().min(1, 'not empty');
/** A name: sorted through a range index, so bounded (model/names.ts). */
export const name = text.max(
  MAX_NAME,
  `at most ${MAX_NAME} characters (a name, not a description; names are sorted through an index)`,
);
export const year = z.number().int().min(1900).max(2100);
export const month = z.number().int().min(1).max(12);

/** The key rule of each label (see KEY_PROPERTY for which property is the key). */
export const KEY_RULE: Record<NodeLabel, z.ZodType> = {
  Source: slugKey,
  Organisation: slugKey,
  Fund: slugKey,
  Place: slugKey,
  Programme: identifierKey,
  Transaction: identifierKey,
  Budget: identifierKey,
  Country: countryCode,
  Region: identifierKey,
  Sector: identifierKey,
};

/** Rules of properties by name, on any node or relationship that has them. */
export const PROPERTY_RULE: Readonly<Record<string, z.ZodType>> = {
  name,
  nameEn: name,
  quote,
  periodQuote: quote,
  websiteQuote: quote,
  source: text,
  aliases: z.array(text),
  sources: z.array(text),
  website: z.url(),
  startYear: year,
  endYear: year,
  startMonth: month,
  iatiOrganisationType: z.enum(Object.keys(KIND_OF_IATI_TYPE) as [string, ...string[]]),
};

/** An organisation's kind and its IATI OrganisationType say the same. */
export const kindAgreesWithIatiType = (kind: OrganisationKind, code: string | null | undefined) =>
  (code ?? null) === IATI_ORGANISATION_TYPE[kind];

/** Only an unnamed group ("lokale partners") is not named. */
export const namedAgreesWithKind = (named: boolean, kind: OrganisationKind) =>
  named === (kind !== 'UNNAMED_GROUP');

export interface RuleProblem {
  /** The property (or two, "a/b") the problem is about. */
  property: string;
  message: string;
}

/** What is wrong with the given properties, by the property rules (any node or relationship). */
export function propertyProblems(props: Readonly<Record<string, unknown>>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const [property, value] of Object.entries(props)) {
    const rule = PROPERTY_RULE[property];
    if (!rule || value === undefined || value === null) continue;
    const result = rule.safeParse(value);
    if (!result.success) {
      problems.push({ property, message: result.error.issues.map((i) => i.message).join('; ') });
    }
  }
  return problems;
}

/**
 * What is wrong with `props` of a node of `label`. A create (`complete`) gives every property
 * it stores, so one left out is null; an update gives some, and cross-property rules apply
 * only when it gives both.
 */
export function nodeProblems(
  label: NodeLabel,
  props: Readonly<Record<string, unknown>>,
  { keyProperty, complete }: { keyProperty: string; complete: boolean },
): RuleProblem[] {
  const problems = propertyProblems(props);
  const key = props[keyProperty];
  if (key !== undefined && key !== null) {
    const result = KEY_RULE[label].safeParse(key);
    if (!result.success) {
      problems.unshift({
        property: keyProperty,
        message: result.error.issues.map((i) => i.message).join('; '),
      });
    }
  }
  const kind = props.kind as OrganisationKind | undefined;
  if (label === 'Organisation' && kind !== undefined) {
    const code = props.iatiOrganisationType as string | null | undefined;
    if ((complete || code !== undefined) && !kindAgreesWithIatiType(kind, code)) {
      problems.push({
        property: 'kind/iatiOrganisationType',
        message: `kind ${kind} is IATI OrganisationType ${IATI_ORGANISATION_TYPE[kind] ?? 'null'}, not ${code ?? 'null'}`,
      });
    }
    if (typeof props.named === 'boolean' && !namedAgreesWithKind(props.named, kind)) {
      problems.push({
        property: 'kind/named',
        message: 'kind UNNAMED_GROUP and named: false go together',
      });
    }
  }
  const { startYear, endYear } = props;
  if (typeof startYear === 'number' && typeof endYear === 'number' && startYear > endYear) {
    problems.push({ property: 'startYear/endYear', message: 'startYear is after endYear' });
  }
  return problems;
}
