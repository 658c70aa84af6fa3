import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_FIELDS } from '../rules/fields';
import { openApiDocument } from './openapi';
import { createDocumentValidator } from './testing';

const V1 = path.resolve(import.meta.dirname, '../../app/api/v1');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Every route.ts under app/api/v1 as [documented path, exported methods]; the tracking endpoints (/t/) are described by their own spec. */
function routes(dir = V1, segments: string[] = []): [string, string[]][] {
  const found: [string, string[]][] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (segments.length === 0 && entry === 't') continue;
      found.push(...routes(full, [...segments, entry]));
    } else if (entry === 'route.ts') {
      const source = readFileSync(full, 'utf8');
      const methods = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source));
      const urlPath = `/api/v1/${segments.map((s) => s.replace(/^\[(\w+)\]$/, '{$1}')).join('/')}`;
      found.push([urlPath, methods]);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  const document = openApiDocument('http://127.0.0.1:3000');

  it('is OpenAPI 3.1 with a bearer security scheme that every operation but the document itself requires', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.bearerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [p, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, { security?: unknown[]; responses?: object }>)) {
        if (method === 'parameters') continue;
        if (p === '/api/v1/openapi.json') expect(operation.security).toEqual([]);
        else {
          expect(operation.security, `${method} ${p}`).toHaveLength(1);
          expect(Object.keys(operation.responses!), `${method} ${p}`).toEqual(expect.arrayContaining(['401', '403']));
        }
      }
    }
  });

  it('describes every route under app/api/v1 (but /t/) with each method it exports', () => {
    const found = routes();
    expect(found.length).toBeGreaterThanOrEqual(8);
    for (const [urlPath, methods] of found) {
      const item = document.paths[urlPath as keyof typeof document.paths] as Record<string, unknown> | undefined;
      expect(item, `${urlPath} is not in the document`).toBeDefined();
      expect(methods.length, urlPath).toBeGreaterThan(0);
      for (const m of methods) expect(item![m.toLowerCase()], `${m} ${urlPath}`).toBeDefined();
    }
    // And nothing documented that does not exist.
    expect(Object.keys(document.paths).sort()).toEqual(found.map(([p]) => p).sort());
  });

  it('compiles: every schema and $ref resolves in a JSON Schema 2020-12 validator', () => {
    expect(createDocumentValidator(document).compileAll()).toBeGreaterThan(10);
  });

  it('every path parameter in a template is declared', () => {
    for (const [p, item] of Object.entries(document.paths) as [string, Record<string, { parameters?: { name: string; in: string }[] }>][]) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const declared = [...(item.parameters as unknown as { name: string; in: string }[] | undefined ?? []), ...(operation.parameters ?? [])].filter((x) => x.in === 'path').map((x) => x.name);
        expect(declared.sort(), `${method} ${p}`).toEqual([...names].sort());
      }
    }
  });

  it('the rule schema accepts what the builder produces and rejects what is not a rule group', () => {
    const v = createDocumentValidator(document);
    const builderRules = {
      id: 'root',
      combinator: 'and',
      not: false,
      rules: [
        { id: 'r1', field: 'orderCount', operator: '>=', value: '2', valueSource: 'value' },
        { combinator: 'or', rules: [{ field: 'lastOrderAt', operator: 'inLast', value: { amount: 30, unit: 'days' } }, { field: 'trait:age', operator: 'between', value: [18, 30] }] },
        { field: 'event:order', operator: 'atLeast', value: { count: 3, days: 90, where: [{ on: 'revenue', operator: '>', value: 10 }] } },
        { field: 'segment', operator: 'in', value: 4 },
        { field: 'emailConsent', operator: 'isTrue' },
      ],
    };
    expect(v.checkSchema('RuleGroup', builderRules)).toEqual([]);
    expect(v.checkSchema('RuleGroup', { combinator: 'xor', rules: [] })).not.toEqual([]);
    expect(v.checkSchema('RuleGroup', { rules: [] })).not.toEqual([]);
    expect(v.checkSchema('RuleCondition', { field: 'password_hash', operator: '=', value: 'x' })).not.toEqual([]);
  });

  it('lists the built-in fields from the rule catalogue', () => {
    const schemas = document.components.schemas as Record<string, { description?: string }>;
    for (const f of BUILT_IN_FIELDS) expect(schemas.RuleCondition!.description).toContain(`\`${f.name}\``);
  });
});
