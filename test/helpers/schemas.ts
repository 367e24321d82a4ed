/** JSON Schema validators for the tests (ajv is CommonJS: its class is the module's `default`). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import Draft04Module from 'ajv-draft-04';

const root = join(import.meta.dirname, '..', '..');

export function readSchema(path: string): object {
  return JSON.parse(readFileSync(join(root, 'schema', path), 'utf8')) as object;
}

/** A validator for one of our draft-07 schemas under `schema/`. */
export function validator(path: string) {
  return new AjvModule.default({ allErrors: true, strict: true }).compile(readSchema(path));
}

/** The official SARIF 2.1.0 schema (draft-04), kept under `schema/vendor/`. */
export function sarifValidator() {
  return new Draft04Module.default({
    allErrors: true,
    strict: false,
    validateFormats: false,
  }).compile(readSchema('vendor/sarif-schema-2.1.0.json'));
}

/**
 * The Compose specification's schema (draft-07, kept under `schema/vendor/`). Its `$schema` names
 * draft-07 by an address ajv does not know, so the meta-schema check is left to the draft it is.
 */
export function composeValidator() {
  const { $schema: _, ...schema } = readSchema('vendor/compose-spec.json') as Record<
    string,
    unknown
  >;
  return new AjvModule.default({ allErrors: true, strict: false }).compile(schema);
}
