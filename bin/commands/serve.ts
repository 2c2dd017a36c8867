// `rxvds serve PATH_OR_URL… [--config FILE] [--port N] [--host H] [--token-file F]`: the slice and
// fence service over HTTP, until Ctrl-C or SIGTERM.
import { redactUrl } from '../../sources/stores/redact.js';
import { createServer, readConfigFile, readTokenFile, type DatasetSource, type ServeOptions } from '../../src/serve/index.js';
import { type Command, integerOption, UsageError } from '../lib/command.js';
import { interruption } from '../lib/interrupt.js';

/** A dataset's id on the command line: the last segment of its path or URL, without a `.vds` ending. */
function idOf(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/[/\\]+$/, '');
  const id = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).replace(/\.vds$/i, '');
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(id)) {
    throw new UsageError(`cannot name ${redactUrl(url)} by its base name "${id}": give it an id in a --config file`);
  }
  return id;
}

export const serveCommand: Command = {
  usage: 'rxvds serve PATH_OR_URL… [--config FILE] [--port N] [--host 127.0.0.1] [--token-file FILE] [--connection STRING]',
  options: {
    config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'token-file': { type: 'string' },
  },
  async run(positionals, values) {
    const config: Omit<ServeOptions, 'log'> = values.config === undefined ? { datasets: [] } : readConfigFile(String(values.config));
    const connection = values.connection === undefined ? undefined : String(values.connection);
    const datasets: DatasetSource[] = [...config.datasets, ...positionals.map((url) => ({ id: idOf(url), url, connection }))];
    if (datasets.length === 0) throw new UsageError(`expected a dataset (PATH_OR_URL) or --config FILE\nUsage: ${this.usage}`);
    if (values['token-file'] !== undefined && config.token !== undefined) throw new UsageError('the config file has a token already: drop --token-file or its token');
    const token = values['token-file'] === undefined ? config.token : readTokenFile(String(values['token-file']));
    const port = integerOption(values, 'port', 8080, 0);
    if (port > 65535) throw new UsageError(`--port must be 0…65535, got ${port}`);
    const host = values.host === undefined ? '127.0.0.1' : String(values.host);
    const server = createServer({ ...config, datasets, token });
    try {
      const { url } = await server.listen({ port, host });
      if (token === undefined && !/^(127\.|::1$|localhost$)/.test(host)) {
        process.stderr.write(`rxvds serve: warning: no bearer token (--token-file) and listening on ${host}, beyond this machine\n`);
      }
      console.log(`rxvds serve: listening on ${url} (datasets: ${datasets.map((d) => d.id).join(', ')})`);
      await new Promise<void>((resolve) => {
        if (interruption.signal.aborted) resolve();
        interruption.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await server.close();
    }
  },
};
