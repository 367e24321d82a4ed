/** `npm run schema`: writes schema/dockmig.config.schema.json from the config table. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../src/config/config.js';
import { TRANSFORMS } from '../transforms/index.js';

export function configSchemaText(): string {
  return JSON.stringify(configSchema(TRANSFORMS.map((t) => t.id)), null, 2) + '\n';
}

if (process.argv[1]?.endsWith('schema.ts')) {
  const path = join(import.meta.dirname, '..', 'schema', 'dockmig.config.schema.json');
  writeFileSync(path, configSchemaText());
  console.log(`wrote ${path}`);
}
