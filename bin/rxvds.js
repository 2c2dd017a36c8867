#!/usr/bin/env node
// The `rxvds` command: runs the compiled CLI (dist/, written by `npm run build`; `npm pack` and
// installs from git build it through the prepare script). No TypeScript loader at run time.
import('../dist/bin/rxvds.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin/rxvds.js')) {
    process.stderr.write('rxvds: the CLI is not built: run "npm run build" in the rxvds folder\n');
    process.exit(1);
  }
  throw error;
});
