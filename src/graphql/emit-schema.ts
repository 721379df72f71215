import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printSchema } from 'graphql';
import { createSchema } from './schema';

/** Where `npm run schema` writes the SDL that clients and codegen read. */
export const SCHEMA_FILE = resolve(__dirname, '../../schema/schema.graphql');

/** The committed SDL for the schema the code builds. */
export async function renderSchema(): Promise<string> {
  return `${printSchema(await createSchema())}\n`;
}

if (require.main === module) {
  renderSchema()
    .then((sdl) => {
      writeFileSync(SCHEMA_FILE, sdl);
      process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`schema: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
