/**
 * Writes docs/schema/plan.schema.json from the plan JSON's zod schema (src/ui/plan/plan-json-schema.ts),
 * so the published schema is the one `apply plan.json` parses with. A unit test fails while the two
 * differ. Run: node node_modules/jiti/lib/jiti-cli.mjs scripts/write-plan-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { planJsonSchemaDocument } from '../src/ui/plan/plan-json-schema.js';

const file = new URL('../docs/schema/plan.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(planJsonSchemaDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
