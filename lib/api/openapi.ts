import { PRESET_IDS } from '../audiences/presets';
import { API_KEY_SCOPE_LABELS, type ApiKeyScope } from '../auth/api-keys';
import { SEGMENT_DESCRIPTION_MAX, SEGMENT_NAME_MAX } from '../segments/definition';
import { BUILT_IN_FIELDS, COMPARATORS, OPERATORS, TIME_UNITS, TRAIT_PREFIX, type FieldType } from '../rules/fields';
import { MAX_CONDITIONS, MAX_DEPTH, PROPERTY_OPERATORS } from '../rules/parse';
import { MEMBERS_DEFAULT_LIMIT, MEMBERS_MAX_LIMIT } from './segments';
import { MAX_REF_LENGTH } from './profiles';
import { JSON_BODY_MAX_BYTES } from './http';

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Its schemas are JSON
 * Schema 2020-12; tests validate real responses against them, and check that every route under
 * app/api/v1 is described here. The rule fields and operators are read from lib/rules/fields.ts,
 * so the document cannot drift from what the parser accepts.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as string, 'null'] });
const dateTime: Schema = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
  ...extra,
});

const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ref('Error'), description);

const COMMON_ERRORS = {
  '401': error('No key, or a key that is malformed, unknown or revoked. The answer carries `WWW-Authenticate: Bearer`.'),
  '403': error('The key lacks the scope this endpoint needs.'),
};
const BODY_ERRORS = {
  '400': error('The body is not a JSON object, has an unknown property, or a property of the wrong type.'),
  '413': error(`The body is larger than ${JSON_BODY_MAX_BYTES / 1024} KB.`),
  '415': error('The body is not sent as JSON.'),
};

function security(scope: ApiKeyScope) {
  return [{ bearerKey: [scope] }];
}

function scopeNote(scope: ApiKeyScope): string {
  return `Needs an API key with the scope \`${scope}\` (${API_KEY_SCOPE_LABELS[scope].toLowerCase()}).`;
}

const segmentIdParam = { name: 'id', in: 'path', required: true, description: 'The segment id.', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } };

function operatorTable(): string {
  const types: FieldType[] = ['text', 'number', 'date', 'boolean', 'event', 'segment'];
  const rows = types.map((t) => `| ${t} | ${OPERATORS[t].map((o) => `\`${o.name}\``).join(', ')} |`);
  return ['| field type | operators |', '|---|---|', ...rows].join('\n');
}

function fieldTable(): string {
  const rows = BUILT_IN_FIELDS.map((f) => `| \`${f.name}\` | ${f.label} | ${f.type} |`);
  return [
    '| field | label | type |',
    '|---|---|---|',
    ...rows,
    `| \`${TRAIT_PREFIX}<key>\` | a registered custom trait | its registered type |`,
  ].join('\n');
}

const CONDITION_DESCRIPTION = `One condition, as the segment builder writes it. Fields:

${fieldTable()}

Operators by field type:

${operatorTable()}

The value depends on the operator: none for \`null\`, \`notNull\`, \`isTrue\`, \`isFalse\`; a string (text) or a
number (number) for comparisons; for dates a day \`YYYY-MM-DD\` or an ISO 8601 time with Z or an offset;
\`[low, high]\` for \`between\`; a list of strings for \`in\`/\`notIn\` on text; \`{amount, unit}\` for
\`inLast\`, \`moreThanAgo\`, \`inNext\`; \`{days}\` for \`anniversaryWithin\`; \`{count, days, where}\` for
event counts (\`atLeast\`, \`atMost\`, \`exactly\`); \`{comparator, amount, days, where}\` for \`revenueSum\`
and \`revenueAverage\`; a segment id for segment membership. The meaning of every operator is in docs/rules.md.`;

const EVENT_FILTER: Schema = {
  type: 'object',
  description: 'A condition on the counted events: their revenue, or one of their properties.',
  required: ['on', 'operator', 'value'],
  properties: {
    on: { enum: ['revenue', 'property'] },
    key: { type: 'string', description: 'The property name (for on = "property").' },
    operator: { enum: [...new Set([...COMPARATORS, ...PROPERTY_OPERATORS])] },
    value: { type: ['string', 'number'] },
  },
};

const SEGMENT_FIELDS: Record<string, Schema> = {
  id: { type: 'integer' },
  name: { type: 'string' },
  description: { type: 'string' },
  status: { enum: ['ACTIVE', 'PAUSED'], description: 'A paused segment is not re-evaluated; its tags stay as they were.' },
  version: { type: 'integer', description: 'Bumped on every change of the rules.' },
  memberCount: { type: 'integer', minimum: 0, description: 'Current members, as of the last evaluation.' },
  evaluatedVersion: { type: ['integer', 'null'], description: 'The rules version the current members were evaluated with.' },
  lastEvaluatedAt: nullable(dateTime),
  lastError: { type: ['string', 'null'], description: 'Why the last evaluation of this segment failed, if it did.' },
  evaluationPending: { type: 'boolean', description: 'Active but changed since its last evaluation: the members are those from before the change until the next run.' },
  createdAt: dateTime,
  updatedAt: dateTime,
};

const SCHEMAS: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'string', description: 'What went wrong, in words meant for the person who sent the request.' } },
  },
  RuleProblem: obj({
    path: { type: 'string', description: 'Where in the rules, e.g. `rules.rules[1].rules[0]`.', examples: ['rules.rules[0]'] },
    message: { type: 'string', examples: ['unknown field "password_hash"'] },
  }),
  ValidationError: {
    type: 'object',
    required: ['error', 'problems'],
    additionalProperties: false,
    properties: { error: { type: 'string' }, problems: { type: 'array', items: ref('RuleProblem'), minItems: 1 } },
    description: 'Refused by the checks of the builder\'s save (name and description, then the rule parser): every problem with its path, `name`, `description` or a place in the rules such as `rules.rules[1]`.',
  },
  RunConflict: {
    type: 'object',
    required: ['error', 'runId', 'startedAt'],
    additionalProperties: false,
    properties: { error: { type: 'string' }, runId: { type: ['integer', 'null'] }, startedAt: nullable(dateTime) },
  },
  RuleGroup: {
    type: 'object',
    description: `A group of conditions and groups, as the segment builder (react-querybuilder) produces it. At most ${MAX_DEPTH} levels deep and ${MAX_CONDITIONS} conditions; an empty group is refused (it would match everyone by accident). Other properties (the builder's \`id\`, \`path\`) are accepted and dropped.`,
    required: ['combinator', 'rules'],
    properties: {
      combinator: { type: 'string', pattern: '^([Aa][Nn][Dd]|[Oo][Rr])$', description: '"and" or "or" (stored lower-case).' },
      not: { type: 'boolean', description: 'Negates the whole group.' },
      rules: { type: 'array', items: { anyOf: [ref('RuleCondition'), ref('RuleGroup')] } },
    },
    examples: [
      {
        combinator: 'and',
        rules: [
          { field: 'orderCount', operator: '>=', value: 2 },
          { field: 'lastOrderAt', operator: 'inLast', value: { amount: 90, unit: 'days' } },
        ],
      },
    ],
  },
  RuleCondition: {
    type: 'object',
    description: CONDITION_DESCRIPTION,
    required: ['field', 'operator'],
    properties: {
      field: {
        anyOf: [
          { enum: BUILT_IN_FIELDS.map((f) => f.name) },
          { type: 'string', pattern: `^${TRAIT_PREFIX}[A-Za-z][A-Za-z0-9_]{0,62}$`, description: 'A registered custom trait.' },
        ],
      },
      operator: { enum: [...new Set(Object.values(OPERATORS).flatMap((ops) => ops.map((o) => o.name)))] },
      value: {
        anyOf: [
          { type: 'null' },
          { type: 'string' },
          { type: 'number' },
          { type: 'array', items: { type: ['string', 'number'] } },
          ref('RelativeValue'),
          ref('AnniversaryValue'),
          ref('EventCountValue'),
          ref('RevenueValue'),
        ],
      },
      caseSensitive: { type: 'boolean', description: 'Text comparisons only: match case exactly.' },
    },
  },
  RelativeValue: {
    type: 'object',
    required: ['amount', 'unit'],
    properties: { amount: { type: ['integer', 'string'] }, unit: { enum: [...TIME_UNITS] } },
  },
  AnniversaryValue: { type: 'object', required: ['days'], properties: { days: { type: ['integer', 'string'] } } },
  EventCountValue: {
    type: 'object',
    required: ['count'],
    properties: {
      count: { type: ['integer', 'string'] },
      days: { type: ['integer', 'string', 'null'], description: 'The window in days; empty or null for ever.' },
      where: { type: 'array', items: EVENT_FILTER },
    },
  },
  RevenueValue: {
    type: 'object',
    required: ['comparator', 'amount'],
    properties: {
      comparator: { enum: [...COMPARATORS] },
      amount: { type: ['number', 'string'] },
      days: { type: ['integer', 'string', 'null'] },
      where: { type: 'array', items: EVENT_FILTER },
    },
  },
  Segment: obj(SEGMENT_FIELDS),
  SegmentDetail: obj({ ...SEGMENT_FIELDS, rules: ref('RuleGroup') }),
  SegmentWrite: obj({
    ...SEGMENT_FIELDS,
    rules: ref('RuleGroup'),
    evaluation: {
      enum: ['evaluated', 'pending', 'not-needed'],
      description: '`evaluated`: the members were re-computed before this answer; `pending`: a run was in progress, the next run does it; `not-needed`: nothing that changes members changed (or the segment is paused).',
    },
  }),
  SegmentList: obj({ segments: { type: 'array', items: ref('Segment') } }),
  SegmentCreate: {
    type: 'object',
    required: ['name', 'rules'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', description: `1 to ${SEGMENT_NAME_MAX} characters (trimmed).` },
      description: { type: 'string', description: `At most ${SEGMENT_DESCRIPTION_MAX} characters.` },
      rules: ref('RuleGroup'),
    },
  },
  SegmentUpdate: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      rules: ref('RuleGroup'),
      status: { enum: ['ACTIVE', 'PAUSED'], description: '"PAUSED" stops re-evaluation (tags kept); "ACTIVE" resumes and re-evaluates at once.' },
    },
  },
  Member: obj({
    profileId: { type: 'integer' },
    externalId: { type: 'string' },
    email: { type: ['string', 'null'] },
    enteredAt: { ...dateTime, description: 'When the profile gained this tag.' },
  }),
  MembersPage: obj({
    segmentId: { type: 'integer' },
    memberCount: { type: 'integer', minimum: 0 },
    limit: { type: 'integer' },
    members: { type: 'array', items: ref('Member') },
    nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` to get the next page; null on the last page.' },
  }),
  Profile: obj({
    id: { type: 'integer' },
    externalId: { type: 'string' },
    email: { type: ['string', 'null'] },
    firstName: { type: ['string', 'null'] },
    lastName: { type: ['string', 'null'] },
    country: { type: ['string', 'null'] },
    city: { type: ['string', 'null'] },
    emailConsent: { type: ['boolean', 'null'] },
    createdAt: dateTime,
    updatedAt: dateTime,
    traits: { type: 'object', description: 'Custom traits as stored (registered ones are usable in rules as `trait:<key>`).' },
    metrics: obj({
      orderCount: { type: 'integer' },
      totalSpent: { type: 'number', description: 'Net: orders plus (negative) cancellations, to the cent.' },
      averageOrderValue: { type: ['number', 'null'] },
      cancellationCount: { type: 'integer' },
      firstOrderAt: nullable(dateTime),
      lastOrderAt: nullable(dateTime),
      lastActivityAt: nullable(dateTime),
    }),
    segments: {
      type: 'array',
      description: 'Current segment tags, most recently gained first.',
      items: obj({ id: { type: 'integer' }, name: { type: 'string' }, status: { enum: ['ACTIVE', 'PAUSED'] }, enteredAt: { ...dateTime, description: 'When the tag was gained.' } }),
    },
  }),
  EvaluationRun: obj({
    status: { const: 'completed' },
    runId: { type: 'integer' },
    clock: { ...dateTime, description: 'The one "now" of the run.' },
    startedAt: dateTime,
    ms: { type: 'integer' },
    segments: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'members', 'entered', 'left', 'ms'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          members: { type: 'integer' },
          entered: { type: 'integer' },
          left: { type: 'integer' },
          ms: { type: 'integer' },
          error: { type: 'string' },
        },
      },
    },
  }),
};

function buildPaths() {
  return {
    '/api/v1/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        security: [],
        responses: { '200': json({ type: 'object' }, 'The OpenAPI 3.1 document.') },
      },
    },
    '/api/v1/profiles': {
      get: {
        operationId: 'findProfile',
        summary: 'A profile by e-mail (or external id)',
        description: `${scopeNote('api:read')} Give exactly one of the two; the e-mail is compared trimmed and lower-cased.`,
        security: security('api:read'),
        parameters: [
          { name: 'email', in: 'query', required: false, schema: { type: 'string', maxLength: MAX_REF_LENGTH } },
          { name: 'externalId', in: 'query', required: false, schema: { type: 'string', maxLength: MAX_REF_LENGTH } },
        ],
        responses: {
          '200': json(ref('Profile'), 'The profile, its traits, metrics and current segment tags.'),
          '400': error('Neither or both parameters, an empty one, or an unknown parameter.'),
          ...COMMON_ERRORS,
          '404': error('No profile has this e-mail or external id.'),
        },
      },
    },
    '/api/v1/profiles/{externalId}': {
      get: {
        operationId: 'getProfile',
        summary: 'A profile by external id',
        description: `${scopeNote('api:read')} URL-encode the id (\`/\` as \`%2F\`).`,
        security: security('api:read'),
        parameters: [{ name: 'externalId', in: 'path', required: true, schema: { type: 'string', maxLength: MAX_REF_LENGTH } }],
        responses: {
          '200': json(ref('Profile'), 'The profile, its traits, metrics and current segment tags.'),
          '400': error('A query parameter was given, or the id is too long.'),
          ...COMMON_ERRORS,
          '404': error('No profile has this external id.'),
        },
      },
    },
    '/api/v1/segments': {
      get: {
        operationId: 'listSegments',
        summary: 'Every segment with its member count',
        description: scopeNote('api:read'),
        security: security('api:read'),
        responses: { '200': json(ref('SegmentList'), 'Segments in id order.'), ...COMMON_ERRORS },
      },
      post: {
        operationId: 'createSegment',
        summary: 'Create a segment',
        description: `${scopeNote('api:write')} The rules are validated exactly as the builder's save validates them, and the new segment is evaluated at once (unless a run is in progress). Audited with the key.`,
        security: security('api:write'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('SegmentCreate') } } },
        responses: {
          '201': { ...json(ref('SegmentWrite'), 'Created; `Location` names it.'), headers: { Location: { schema: { type: 'string' } } } },
          ...BODY_ERRORS,
          '400': error('Not a JSON object, unknown property, wrong property type, missing name or rules, or rules that refer to a missing segment or form a cycle of segments.'),
          ...COMMON_ERRORS,
          '422': json(ref('ValidationError'), 'The name or the rules were refused; `problems` lists every problem of the rules with its path.'),
        },
      },
    },
    '/api/v1/segments/{id}': {
      parameters: [segmentIdParam],
      get: {
        operationId: 'getSegment',
        summary: 'One segment with its rules',
        description: scopeNote('api:read'),
        security: security('api:read'),
        responses: { '200': json(ref('SegmentDetail'), 'The segment.'), ...COMMON_ERRORS, '404': error('No such segment.') },
      },
      patch: {
        operationId: 'updateSegment',
        summary: 'Change, pause or resume a segment',
        description: `${scopeNote('api:write')} Send any of name, description, rules, status; the rest keeps its value. The definition is saved first (validated as the builder's save), then the status: so an invalid change changes nothing, rules sent with "PAUSED" are evaluated once and then frozen, and with "ACTIVE" the resume evaluates them. Audited with the key.`,
        security: security('api:write'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('SegmentUpdate') } } },
        responses: {
          '200': json(ref('SegmentWrite'), 'The segment after the change.'),
          ...BODY_ERRORS,
          '400': error('Not a JSON object, empty, unknown property, wrong property type, or rules that refer to a missing segment or form a cycle.'),
          ...COMMON_ERRORS,
          '404': error('No such segment.'),
          '422': json(ref('ValidationError'), 'The name or the rules were refused, or the stored rules of a segment being resumed no longer parse.'),
        },
      },
      delete: {
        operationId: 'deleteSegment',
        summary: 'Delete a segment',
        description: `${scopeNote('api:write')} Its tags, pins and history go with it; the audit entry keeps its definition.`,
        security: security('api:write'),
        responses: {
          '204': { description: 'Deleted.' },
          ...COMMON_ERRORS,
          '404': error('No such segment.'),
          '409': error('The rules of another segment or of an audience refer to it (the message names them), or a full evaluation run is in progress.'),
        },
      },
    },
    '/api/v1/segments/{id}/members': {
      get: {
        operationId: 'listSegmentMembers',
        summary: "A segment's current members, paged",
        description: `${scopeNote('api:read')} Keyset paging in profile id order: follow \`nextCursor\` until it is null. A member is never listed twice in one walk, even when an evaluation runs in between.`,
        security: security('api:read'),
        parameters: [
          segmentIdParam,
          { name: 'cursor', in: 'query', required: false, description: 'The `nextCursor` of the previous page.', schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MEMBERS_MAX_LIMIT, default: MEMBERS_DEFAULT_LIMIT } },
        ],
        responses: {
          '200': json(ref('MembersPage'), 'One page of members.'),
          '400': error('A cursor that is not one of ours, a limit out of range, or an unknown parameter.'),
          ...COMMON_ERRORS,
          '404': error('No such segment.'),
        },
      },
    },
    '/api/v1/evaluations': {
      post: {
        operationId: 'evaluateSegments',
        summary: 'Re-evaluate every active segment now',
        description: `${scopeNote('api:write')} One run (trigger MANUAL) with one clock, segments in dependency order; answers when it has finished. Audited with the key.`,
        security: security('api:write'),
        responses: {
          '200': json(ref('EvaluationRun'), 'The finished run, per segment.'),
          ...COMMON_ERRORS,
          '409': json(ref('RunConflict'), 'Another run is in progress (it does the work); its id and start.'),
        },
      },
    },
    '/api/v1/audiences/{id}/versions/{file}': {
      get: {
        operationId: 'downloadAudienceVersion',
        summary: 'An audience version as CSV',
        description: `${scopeNote('audience:download')} \`file\` is \`<version number>.csv\`. RFC 4180, UTF-8, header row, cells neutralised against formula injection. Audited with the key and the client's address.`,
        security: security('audience:download'),
        parameters: [
          { name: 'id', in: 'path', required: true, description: 'The audience id.', schema: { type: 'integer', minimum: 1 } },
          { name: 'file', in: 'path', required: true, description: 'The version number followed by `.csv`, e.g. `3.csv`.', schema: { type: 'string', pattern: '^[1-9][0-9]*\\.[Cc][Ss][Vv]$' } },
          { name: 'bom', in: 'query', required: false, description: '`1` (or true, yes, on): start with a UTF-8 byte order mark, for Excel; `0` (false, no, off) or absent: none.', schema: { type: 'string' } },
          { name: 'preset', in: 'query', required: false, description: 'An ad platform customer-list layout.', schema: { enum: [...PRESET_IDS] } },
          { name: 'hash', in: 'query', required: false, description: 'With a preset: `sha256` (or `1`) hashes the normalised e-mail and phone with SHA-256.', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'The CSV, as an attachment.', content: { 'text/csv': { schema: { type: 'string' } } } },
          '400': error('An unknown download option, or hashing without a preset.'),
          ...COMMON_ERRORS,
          '404': error('No such audience or version, or a file name that is not `<n>.csv`.'),
          '422': error('The preset needs columns the audience does not export (the message names them).'),
        },
      },
    },
  };
}

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Tagwise API',
      version: '1',
      description:
        'Is a customer in a segment right now, and which segments exist: read profiles with their tags, list segments and their members, create, change, pause and delete segments with the builder\'s rule JSON, and re-evaluate. Authenticate with an API key created by an admin: `Authorization: Bearer twk_…`. Errors are JSON `{"error": "…"}` with a 4xx status.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearerKey: [] }],
    paths: buildPaths(),
    components: {
      securitySchemes: {
        bearerKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'twk_<8 characters>_<43 characters>',
          description: 'An API key. Each endpoint names the scope it needs (api:read, api:write, audience:download).',
        },
      },
      schemas: SCHEMAS,
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
