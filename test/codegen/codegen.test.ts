import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'schema', 'generated');

/** A frontend's use of the generated documents; it must type-check strictly. */
const CONSUMER = `
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { KycUserSummaryDocument, ExchangeSessionDocument, KycDocumentLinkDocument } from './graphql';
import type { KycStatus } from './graphql';

type User = NonNullable<ResultOf<typeof KycUserSummaryDocument>['kycUser']>;
const status: User['status'] = 'APPROVED';
const known: KycStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'CONTACTED', 'UNKNOWN', status];
// @ts-expect-error a status the schema does not have
const wrong: User['status'] = 'MAYBE';
const name: string | null | undefined = ({} as User).person?.fullName;
const vars: VariablesOf<typeof ExchangeSessionDocument> = { oneTimeToken: 'abc' };
// @ts-expect-error the file type is an enum, not any string
const badType: VariablesOf<typeof KycDocumentLinkDocument> = { userId: 'u', type: 'PASSPORT' };
export { known, wrong, name, vars, badType };
`;

describe('codegen.yml', () => {
  it('generates typed documents that a strict TypeScript frontend compiles against', () => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', 'codegen.yml'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    mkdirSync(OUT_DIR, { recursive: true });
    const consumer = join(OUT_DIR, 'consumer-check.ts');
    writeFileSync(consumer, CONSUMER);
    const program = ts.createProgram([consumer], {
      strict: true,
      noEmit: true,
      noUnusedLocals: false,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));

    expect(problems).toEqual([]);
  });
});
