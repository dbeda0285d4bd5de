import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { resultJsonSchema } from './schema.js';

/** Regenerates schemas/tune-result.schema.json from the zod schema (npm run schema). */
const file = path.join(packageRoot(), 'schemas', 'tune-result.schema.json');
writeFileSync(file, `${JSON.stringify(resultJsonSchema(), null, 2)}\n`);
process.stdout.write(`Wrote ${file}\n`);
