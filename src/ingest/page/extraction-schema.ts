/**
 * The format of a page's structured extraction (seeds/*.yaml): what was found on the page,
 * each fact with the verbatim quote that supports it. Shape only; cross-checks (quotes,
 * references, country codes, duplicates) live in validate.ts.
 */
import { judgeRef } from '../resolve/refs.js';
import { z } from 'zod';
import { ENUMS, type RelationshipType } from '../../model/index.js';
import { month, name, namedAgreesWithKind, quote, slugKey, text, year } from '../../model/rules.js';

// The atoms of every stored property: one definition for the importer and editors' mutations.
const key = slugKey;
/** One key, or a list that stands for one fact per key. */
const keys = z.union([z.string(), z.array(z.string()).min(1)]);
const basis = z.enum(ENUMS.Basis).default('STATED');

const country = z.strictObject({
  code: z.string(),
  quote,
  aliases: z.array(text).default([]),
});

const place = z.strictObject({ key, name, country: z.string(), quote });

/** True for an identifier as resolution takes it (no repair needed). */
const isOrganisationIdentifier = (ref: string) => {
  const verdict = judgeRef(ref);
  return verdict.kind === 'identifier' && verdict.ref === ref && !verdict.repaired;
};

const organisation = z
  .strictObject({
    key,
    name,
    nameEn: name.optional(),
    aliases: z.array(text).default([]),
    kind: z.enum(ENUMS.OrganisationKind),
    named: z.boolean().default(true),
    website: z.url().optional(),
    /**
     * Curated, not quoted: the IATI organisation identifier it publishes under, so that the page
     * and IATI data meet by identifier rather than by spelling.
     */
    iatiRef: z
      .string()
      .optional()
      .refine((ref) => ref === undefined || isOrganisationIdentifier(ref), {
        message:
          'not an IATI organisation identifier: give a registration agency prefix and an id, e.g. NL-KVK-41198890 or XM-DAC-7',
      }),
    basedIn: z.string().optional(),
    basedInQuote: quote.optional(),
    basedInBasis: basis,
    quote,
  })
  .refine((o) => (o.basedIn === undefined) === (o.basedInQuote === undefined), {
    message: 'basedIn and basedInQuote go together',
    path: ['basedInQuote'],
  })
  .refine((o) => namedAgreesWithKind(o.named, o.kind), {
    message: 'kind UNNAMED_GROUP and named: false go together',
    path: ['named'],
  });

const fund = z.strictObject({
  key,
  name,
  nameEn: name.optional(),
  acronym: text.optional(),
  kind: z.enum(ENUMS.FundKind),
  quote,
});

const programme = z
  .strictObject({
    key,
    name,
    type: z.enum(ENUMS.ProgrammeType),
    aliases: z.array(text).default([]),
    description: text.optional(),
    startYear: year.optional(),
    startMonth: month.optional(),
    endYear: year.optional(),
    duration: text.optional(),
    statedCountryCount: z.number().int().positive().optional(),
    periodQuote: quote.optional(),
    website: z.url().optional(),
    websiteQuote: quote.optional(),
    quote,
  })
  .refine((p) => p.startYear === undefined || p.endYear === undefined || p.startYear <= p.endYear, {
    message: 'startYear is after endYear',
    path: ['endYear'],
  })
  .refine(
    (p) =>
      (p.startYear === undefined && p.endYear === undefined && p.startMonth === undefined) ||
      p.periodQuote !== undefined,
    { message: 'a period needs periodQuote', path: ['periodQuote'] },
  )
  .refine((p) => (p.website === undefined) === (p.websiteQuote === undefined), {
    message: 'website and websiteQuote go together',
    path: ['websiteQuote'],
  });

const common = { from: keys, to: keys, quote, basis };
const relation = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('FUNDS'), ...common, coFinancing: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('OWNS'), ...common }),
  z.strictObject({ type: z.literal('MANAGES'), ...common }),
  z.strictObject({
    type: z.literal('PARTICIPATES_IN'),
    ...common,
    role: z.enum(ENUMS.ParticipationRole),
    countries: z.array(z.string()).default([]),
    /** Keys of `places` the organisation works in within the programme. */
    places: z.array(z.string()).default([]),
  }),
  z.strictObject({ type: z.literal('MEMBER_OF'), ...common, role: z.enum(ENUMS.MembershipRole) }),
  z.strictObject({ type: z.literal('RUNS_IN'), ...common }),
  z.strictObject({ type: z.literal('UNDER_FRAMEWORK'), ...common }),
  z.strictObject({ type: z.literal('EXTENDS'), ...common }),
]);

export const extractionSchema = z.strictObject({
  source: z.strictObject({
    key,
    title: text,
    file: z.string().regex(/^(?!\.+$)[\w.-]+$/, 'a file name in the same folder'),
    language: z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as nl'),
    publisher: key,
  }),
  countries: z.array(country).default([]),
  places: z.array(place).default([]),
  organisations: z.array(organisation).default([]),
  funds: z.array(fund).default([]),
  programmes: z.array(programme).default([]),
  relations: z.array(relation).default([]),
});

export type Extraction = z.infer<typeof extractionSchema>;
export type Relation = Extraction['relations'][number];
/** A page's relation types are relationship types of the model (a compile error otherwise). */
type InModel<T extends RelationshipType> = T;
export type RelationType = InModel<Relation['type']>;
