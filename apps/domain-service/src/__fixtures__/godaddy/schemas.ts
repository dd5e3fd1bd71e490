/**
 * GoDaddy's Domains API v1 schemas (domains-v1.schemas.json, README.md says where they come from) compiled with
 * ajv, for the fake GoDaddy to check what it is sent and what it answers. OpenAPI 3.0's schemas are JSON Schema
 * enough for ajv with `strict: false` (`description` and the like are annotations); GoDaddy's own formats are
 * registered below: `phone` as EPP writes it (`+1.4805551212`, the form GoDaddy's CLI documents),
 * `iso-datetime` as an ISO 8601 time, and the rest (names, addresses, codes) as any string.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schemas from './domains-v1.schemas.json';

export type GoDaddySchema = keyof typeof schemas.components.schemas;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('phone', /^\+\d{1,3}\.\d{4,14}$/);
ajv.addFormat('iso-datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
ajv.addFormat('domain', /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i);
for (const free of [
  'city-name', 'constant', 'currency-micro-unit', 'double', 'host-name', 'integer-positive', 'iso-country-code', 'iso-currency-code',
  'json-path', 'organization-name', 'person-name', 'postal-code', 'state-province-territory', 'street-address', 'street-address2',
]) {
  ajv.addFormat(free, true);
}
ajv.addSchema(schemas, 'godaddy');

const compiled = new Map<GoDaddySchema, ValidateFunction>();

/** What is wrong with `value` as GoDaddy's `name` schema sees it: one line per problem, none when it fits. */
export function problemsAs(name: GoDaddySchema, value: unknown): string[] {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `godaddy#/components/schemas/${name}` });
    compiled.set(name, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is not valid'}`);
}
