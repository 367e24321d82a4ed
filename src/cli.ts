#!/usr/bin/env node
/**
 * Command-line wiring only: parse flags, then hand over to a lazily imported command. Known errors
 * print one line and exit 2; anything else prints a stack and asks for a report. A reader that
 * closes stdout early ends nothing but the output (io/stdio.ts).
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { describeFailure } from './errors.js';
import { flagParser, migrationFlags, runFlags } from './flags.js';
import { packageVersion } from './io/assets.js';
import { guardOutput } from './io/stdio.js';

const pkg = { version: packageVersion() };

const EXAMPLES = `
Examples:
  dockmig                              show the migration of every Dockerfile under . as a diff
  dockmig services/api | git apply     apply it with git
  dockmig --write                      write the change set (Dockerfile, .dockerignore, scripts)
  dockmig --interactive                review fix by fix, like git add -p; write the ones accepted
  dockmig --check                      in CI: exit 1 when a Dockerfile still needs migrating
  dockmig --python 3.12 --uid 1001 .   choose the Python version and the runtime uid
  dockmig --only pin-python-base,exec-form .
  dockmig transforms                   list the transforms in the order they run

  dockmig --format sarif --check > dockmig.sarif     for GitHub code scanning
  dockmig --report review.html ~/src/*              one page to review many repositories

Config: dockmig.config.json or .dockmigrc.json (searched upward, or --config);
        command-line flags win over it.

Exit codes: 0 nothing to change (or written), 1 changes needed (--check),
            2 usage error, a file that could not be processed, or one left incomplete;
            130 --interactive ended with Ctrl-C (nothing written).`;

function count(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('a whole number from 1 is expected.');
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('dockmig');
  let code = 0;
  // The subcommands repeat the migration options: without positional options the program would
  // take `dockmig org acme --format json`'s --format for itself.
  program.enablePositionalOptions();
  runFlags(program)
    .description(
      'Rewrite legacy Python/uv Dockerfiles into a hardened production form, as a reviewable diff.',
    )
    .version(pkg.version, '-V, --version')
    .argument('[paths...]', 'Dockerfiles, or directories to search for them', ['.'])
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run dockmig --help for usage)')
    .exitOverride()
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const { resolveRunOptions } = await import('./commands/options.js');
      const options = resolveRunOptions({
        paths,
        pathsGiven: program.args.length > 0,
        flags,
        given: (key) => program.getOptionValueSource(key) === 'cli',
        cwd: process.cwd(),
        version: pkg.version,
        env: process.env,
      });
      const { run } = await import('./commands/run.js');
      const { useColor } = await import('./report/color.js');
      const io = {
        cwd: process.cwd(),
        stdout: (t: string) => process.stdout.write(t),
        stderr: (t: string) => process.stderr.write(t),
        color: {
          stdout: useColor(process.env, Boolean(process.stdout.isTTY)),
          stderr: useColor(process.env, Boolean(process.stderr.isTTY)),
        },
        progress: Boolean(process.stderr.isTTY),
      };
      if (options.interactive) {
        const { interactive } = await import('./commands/interactive.js');
        const { terminalKeys } = await import('./io/keys.js');
        code = await interactive(options, io, () => terminalKeys(process.stdin));
      } else code = await run(options, io);
    });
  const githubFlags = (cmd: Command, flags: Record<string, unknown>) => ({
    paths: [],
    pathsGiven: false,
    flags,
    given: (key: string) => cmd.getOptionValueSource(key) === 'cli',
    cwd: process.cwd(),
    version: pkg.version,
    env: process.env,
  });
  const stdio = {
    cwd: process.cwd(),
    stdout: (t: string) => process.stdout.write(t),
    stderr: (t: string) => process.stderr.write(t),
  };
  const github = (cmd: Command) =>
    cmd
      .option(
        '--token-env <name>',
        'environment variable holding the GitHub token (default GITHUB_TOKEN, then GH_TOKEN)',
      )
      .option('--api-url <url>', 'GitHub API base URL (default $GITHUB_API_URL or api.github.com)')
      .option('--branch <name>', 'branch to push (default dockmig/harden-dockerfile)')
      .option('--title <text>', 'pull request title (default "Harden the Dockerfile (dockmig)")')
      .option('--dry-run', 'say what would be done; commit, push and open nothing');
  const pr = github(migrationFlags(program.command('pr')))
    .description('migrate a git checkout and open (or update) a pull request with the change')
    .argument('[dir]', 'the checkout', '.')
    .option('--remote <name>', 'remote to push to (default origin)')
    .option('--repo <owner/name>', 'repository on GitHub (default: from the remote URL)')
    .option('--allow-dirty', 'run on a working tree with uncommitted changes')
    .action(async (dir: string, flags: Record<string, unknown>) => {
      const { prOptions } = await import('./commands/github-options.js');
      const { pr: runPr } = await import('./commands/pr.js');
      code = await runPr(prOptions(githubFlags(pr, flags), dir), stdio);
    });
  const orgCmd = github(migrationFlags(program.command('org')))
    .description('migrate every repository of a GitHub organisation, one pull request each')
    .argument('<org>', 'the organisation')
    .option('--include <globs...>', 'only repositories whose name matches (comma-separated globs)')
    .option('--exclude <globs...>', 'leave out repositories whose name matches')
    .option('--topic <topic>', 'only repositories with this topic')
    .option('--include-archived', 'take archived repositories too')
    .option('--include-forks', 'take forks too')
    .option('--concurrency <n>', 'repositories at a time (default 4)', count)
    .option('--work-dir <dir>', 'where repositories are cloned (default: a temp directory)')
    .option('--state <file>', 'state file: a re-run skips what is done there')
    .option('--retry-failed', 'retry the repositories that failed in the state file')
    .option('--max-prs <n>', 'open at most this many pull requests in this run', count)
    .option('--shard <K/N>', 'process shard K of N (for a CI matrix)')
    .addOption(
      new Option('--format <format>', 'the whole-organisation review on stdout').choices([
        'json',
        'markdown',
      ]),
    )
    .option(
      '--report <file.html>',
      'the whole-organisation review as an HTML page',
      flagParser('report'),
    )
    .action(async (orgName: string, flags: Record<string, unknown>) => {
      const { orgOptions } = await import('./commands/github-options.js');
      const { org } = await import('./commands/org.js');
      code = await org(orgOptions(githubFlags(orgCmd, flags), orgName), stdio);
    });
  program
    .command('merge-reports')
    .description('join JSON reports (shards of one organisation run) into one')
    .argument('<files...>', 'reports written by --format json')
    .addOption(
      new Option('--format <format>', 'output (default json)').choices(['json', 'markdown']),
    )
    .option(
      '--report <file.html>',
      'also write the joined review as an HTML page',
      flagParser('report'),
    )
    .action(async (files: string[], flags: Record<string, unknown>) => {
      const { mergeReportFiles } = await import('./commands/merge-reports.js');
      code = await mergeReportFiles(
        {
          files,
          format: (flags.format as 'json' | 'markdown' | undefined) ?? 'json',
          reportFile: (flags.report as string | undefined) ?? null,
          version: pkg.version,
        },
        stdio,
      );
    });
  const collect = (value: string, previous: string[]) => [...previous, value];
  const verifyCmd = migrationFlags(program.command('verify'))
    .description(
      'build the migrated Dockerfile with docker or podman and check the hardened promises on the running container',
    )
    .argument('[dir]', 'the build context holding the Dockerfile', '.')
    .option('-f, --file <name>', 'the Dockerfile, relative to dir (default Dockerfile)')
    .option('--as-is', 'verify the Dockerfile as it is, without migrating it first')
    .option('--compare', 'also build the original (git show HEAD:<file>) to compare sizes')
    .addOption(
      new Option(
        '--engine <engine>',
        'container engine (default: docker if it answers, else podman)',
      ).choices(['docker', 'podman']),
    )
    .option('--build-arg <KEY=VALUE>', 'build argument (repeatable)', collect, [])
    .option('--env <KEY=VALUE>', 'environment for the container (repeatable)', collect, [])
    .option('--env-file <file>', 'environment file for the container (repeatable)', collect, [])
    .option('--grace <seconds>', 'how long stop waits after SIGTERM (default 10)', count)
    .option('--pull <policy>', "the build's pull policy, e.g. never for local images only")
    .addOption(new Option('--format <format>', 'output (default text)').choices(['text', 'json']))
    .action(async (dir: string, flags: Record<string, unknown>) => {
      const { resolveRunOptions } = await import('./commands/options.js');
      const { verify } = await import('./commands/verify.js');
      const f = githubFlags(verifyCmd, flags);
      code = await verify(
        {
          dir,
          file: (flags.file as string | undefined) ?? 'Dockerfile',
          asIs: Boolean(flags.asIs),
          compare: Boolean(flags.compare),
          engine: (flags.engine as 'docker' | 'podman' | undefined) ?? null,
          buildArgs: flags.buildArg as string[],
          env: flags.env as string[],
          envFiles: flags.envFile as string[],
          grace: (flags.grace as number | undefined) ?? 10,
          pull: (flags.pull as string | undefined) ?? null,
          format: (flags.format as 'text' | 'json' | undefined) ?? 'text',
          run: resolveRunOptions({
            ...f,
            cwd: resolve(process.cwd(), dir),
            flagsCwd: process.cwd(),
            paths: ['.'],
            pathsGiven: true,
          }),
        },
        stdio,
      );
    });
  const lspCmd = migrationFlags(program.command('lsp'))
    .description('a language server on stdin/stdout: diagnostics and quick-fixes in any editor')
    .action(async (flags: Record<string, unknown>) => {
      const { lsp } = await import('./commands/lsp.js');
      code = lsp(githubFlags(lspCmd, flags));
    });
  program
    .command('transforms')
    .description('list the transforms in the order they run, with their rationale')
    .action(async () => {
      const { listTransforms } = await import('./commands/transforms.js');
      code = listTransforms((t) => process.stdout.write(t));
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const e = error as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      // Commander printed its own message (or the help/version text).
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
        ? 0
        : 2;
    }
    throw error;
  }
  return code;
}

// Before anything is printed: `dockmig --help | head` closes stdout before commander is done.
guardOutput(process.stdout, process.stderr);

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { text, code } = describeFailure(error);
    process.stderr.write(text);
    process.exitCode = code;
  },
);
