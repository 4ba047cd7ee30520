#!/usr/bin/env node
// Runs the built CLI (npm install builds dist/ through the `prepare` script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('pgarchitect: not built yet: run `npm install` (or `npm run build`) in the pgarchitect folder\n');
  process.exit(2);
}
await import(entry.href);
