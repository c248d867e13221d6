// Runs on `npm install`: writes one Prisma schema per provider from prisma/models.prisma and generates
// a client for each. The Prisma CLI tries to download its native schema engine on every command; generate
// does not need it, and pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable stops the download
// (see docs/operations.md, "Prisma offline").
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const models = readFileSync(join(root, 'prisma/models.prisma'), 'utf8');

export const PROVIDERS = [
  { dir: 'sqlite', provider: 'sqlite' },
  { dir: 'postgres', provider: 'postgresql' },
];

export function schemaFor({ dir, provider }) {
  return `// GENERATED from prisma/models.prisma by scripts/generate-clients.mjs; edit that file instead.
generator client {
  provider               = "prisma-client"
  output                 = "../../src/generated/${dir}"
  moduleFormat           = "esm"
  importFileExtension    = "js"
  runtime                = "nodejs"
}

datasource db {
  provider = "${provider}"
}

${models}`;
}

function main() {
  const prismaBin = join(root, 'node_modules/prisma/build/index.js');
  if (!existsSync(prismaBin)) {
    console.error('generate-clients: prisma is not installed; run npm install');
    process.exit(1);
  }
  for (const p of PROVIDERS) {
    const schemaPath = join(root, 'prisma', p.dir, 'schema.prisma');
    mkdirSync(dirname(schemaPath), { recursive: true });
    writeFileSync(schemaPath, schemaFor(p));
    execFileSync(process.execPath, [prismaBin, 'generate', '--schema', schemaPath], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
