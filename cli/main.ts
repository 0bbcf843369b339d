/** The `tributary` command line: one clear line and a non-zero exit code on any error. */
import { loadLocalSettings } from '../shared/config';
import { TributaryError, describeError } from '../shared/errors';
import { UsageError } from './args';
import { extractCommand } from './commands/extract';
import { feedCommand, itemsCommand } from './commands/read';
import { reprocessCommand } from './commands/reprocess';
import { runCommand, serveCommand } from './commands/run';
import { sourcesCommand } from './commands/sources';
import { statusCommand } from './commands/status';

const HELP = `Usage: tributary <command> [options]   (every command takes --help)

  serve                 run the pipeline locally on a schedule and serve feeds + API (npm start)
  run --once            run one full cycle on the embedded stores and exit
  sources ...           list, add, remove, import and export feeds (the OPML file)
  items                 list stored items (--source ID, --tag T)
  feed                  print a published feed (combined, --tag T or --source ID)
  status                each source's health: status, last and next fetch, failures, last error
  reprocess             re-parse the stored feed bodies with the current code (no fetching)
  extract URL|FILE      print what the article extractor makes of one page (--json)
`;

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serveCommand(rest, print);
      return 0;
    case 'run':
      await runCommand(rest, print);
      return 0;
    case 'sources':
      for (const line of await sourcesCommand(rest, loadLocalSettings().sourcesFile)) print(line);
      return 0;
    case 'items':
      await itemsCommand(rest, print);
      return 0;
    case 'feed':
      await feedCommand(rest, print);
      return 0;
    case 'status':
      await statusCommand(rest, print);
      return 0;
    case 'reprocess':
      await reprocessCommand(rest, print);
      return 0;
    case 'extract':
      await extractCommand(rest, print);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      print(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"; try "tributary --help"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tributary: ${describeError(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : err instanceof TributaryError ? 1 : 70);
  },
);
