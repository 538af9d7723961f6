// The layering rules of DESIGN.md are enforced by lint: these tests prove that a forbidden import
// fails lint (and an allowed one passes), using ESLint's own API on the project's config.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('fails an import from renderer/ into main/', async () => {
    const errors = await importErrors('renderer/src/bad.ts', "import { createCore } from '../../main/core/core';\nexport const x = createCore;\n");
    expect(errors.join('\n')).toMatch(/renderer\/ never imports main\//);
  });

  it('fails Node built-ins and electron in the renderer', async () => {
    expect(await importErrors('renderer/src/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).toHaveLength(1);
    expect(await importErrors('renderer/src/bad.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
  });

  it('fails imports out of shared/', async () => {
    expect(await importErrors('shared/bad.ts', "import { x } from '../main/core/core';\nexport const y = x;\n")).toHaveLength(1);
    expect(await importErrors('shared/bad.ts', "import path from 'path';\nexport const y = path;\n")).toHaveLength(1);
    expect(await importErrors('shared/bad.ts', "import React from 'react';\nexport const y = React;\n")).toHaveLength(1);
  });

  it("fails 'electron' anywhere but main/electron, and host imports in the core", async () => {
    expect(await importErrors('main/core/bad.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await importErrors('main/host/bad.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await importErrors('main/core/bad.ts', "import { startHost } from '../host/server';\nexport const y = startHost;\n")).toHaveLength(1);
    expect(await importErrors('main/electron/ok.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(0);
  });

  it('allows what the layering allows', async () => {
    expect(await importErrors('renderer/src/ok.ts', "import { methods } from '../../shared/api';\nexport const y = methods;\n")).toHaveLength(0);
    expect(await importErrors('main/core/ok.ts', "import fs from 'node:fs';\nimport { methods } from '../../shared/api';\nexport const y = [fs, methods];\n")).toHaveLength(0);
  });

  it('fails focused and skipped tests', async () => {
    const [result] = await eslint.lintText("import { it } from 'vitest';\nit.only('x', () => {});\nit.skip('y', () => {});\n", {
      filePath: path.join(root, 'main/core/x.test.ts'),
    });
    expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toHaveLength(2);
  });
});
