import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from './openapi';

/**
 * Test helper: checks a real response against what /api/v1/openapi.json says about it, with a JSON
 * Schema 2020-12 validator (OpenAPI 3.1 schemas are JSON Schema). Fails when the status is not
 * documented for the operation, or the body does not match the documented schema.
 */
const DOC_ID = 'https://tagwise.invalid/api/v1/openapi.json';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function createDocumentValidator(document = openApiDocument()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addSchema({ ...document, $id: DOC_ID });
  const paths = document.paths as unknown as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;

  function pointer(...parts: string[]): string {
    return parts.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  }

  /** The body's validation errors (empty when it matches), or throws when the status is undocumented. */
  function check(method: string, path: string, status: number, body: unknown, contentType = 'application/json'): string[] {
    const operation = paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${path} is not in the document`);
    const response = operation.responses[String(status)];
    if (!response) throw new Error(`${method} ${path} answered ${status}, which the document does not list (it lists ${Object.keys(operation.responses).join(', ')})`);
    if (!response.content) return body === null || body === undefined || body === '' ? [] : [`${status} is documented without a body`];
    if (!response.content[contentType]) throw new Error(`${method} ${path} ${status}: no ${contentType} content documented`);
    const validate = ajv.compile({ $ref: `${DOC_ID}#${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', contentType, 'schema')}` });
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /** Compiles every schema in components (throws on a broken $ref or keyword). */
  function compileAll(): number {
    const names = Object.keys(document.components.schemas);
    for (const name of names) ajv.compile({ $ref: `${DOC_ID}#${pointer('components', 'schemas', name)}` });
    return names.length;
  }

  /** Validates a value against a named component schema (for request bodies in tests). */
  function checkSchema(name: string, value: unknown): string[] {
    const validate = ajv.compile({ $ref: `${DOC_ID}#${pointer('components', 'schemas', name)}` });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(value)'} ${e.message ?? ''}`);
  }

  return { check, compileAll, checkSchema };
}

export type DocumentValidator = ReturnType<typeof createDocumentValidator>;

/**
 * Reads a Response's body, checks it against the document, and returns it parsed (JSON) or as text.
 * `path` is the documented template, e.g. /api/v1/segments/{id}.
 */
export async function documented<T = unknown>(validator: DocumentValidator, method: string, path: string, response: Response): Promise<{ status: number; body: T }> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const isJson = type.startsWith('application/json');
  const body = (isJson && text ? JSON.parse(text) : text) as T;
  const problems = validator.check(method, path, response.status, text === '' ? null : body, isJson ? 'application/json' : type.split(';')[0]!.trim());
  if (problems.length) throw new Error(`${method} ${path} ${response.status} does not match the document:\n  ${problems.join('\n  ')}\nbody: ${text.slice(0, 2000)}`);
  return { status: response.status, body };
}
