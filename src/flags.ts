/**
 * The command line's side of the option table: one commander option per entry, its spelling and
 * help from the table, its value judged by the same rule as the config file's (`flagValue`), so a
 * value one refuses the other refuses too. It lives beside cli.ts, not in src/config, which is
 * pure: commander is the command line's.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { OPTIONS, flagValue, type OptionKey, type Spec } from './config/config.js';

/** Parses and checks a flag's text as the table says `key` is checked. */
export function flagParser(key: OptionKey): (text: string, previous?: unknown) => unknown {
  const spec: Spec = OPTIONS[key];
  return (text, previous) => {
    const r = flagValue(spec, text, previous);
    if ('refused' in r) throw new InvalidArgumentError(r.refused);
    return r.value;
  };
}

export function tableOption(key: OptionKey): Option {
  const spec: Spec = OPTIONS[key];
  const typed = spec.list
    ? { comma: ' (comma-separated)', repeat: ' (repeatable)' }[spec.list]
    : '';
  const option = new Option(spec.flag!, spec.help ?? spec.description + typed);
  // Commander's own message for a bad choice lists the choices.
  if (spec.enum) return option.choices(spec.enum);
  if (spec.kind !== 'boolean') option.argParser(flagParser(key));
  return option;
}

/** The table's flags that every migrating command takes, or those `dockmig [paths...]` alone does. */
function addTableOptions(cmd: Command, which: 'shared' | 'run only'): Command {
  for (const [key, spec] of Object.entries(OPTIONS) as [OptionKey, Spec][]) {
    if (spec.flag && Boolean(spec.runOnly) === (which === 'run only'))
      cmd.addOption(tableOption(key));
  }
  return cmd;
}

/** The options that shape a migration, shared by the run, `pr`, `org` and `verify`. */
export function migrationFlags(cmd: Command): Command {
  cmd
    .option(
      '--config <file>',
      'config file (default: dockmig.config.json or .dockmigrc.json, searched upward)',
    )
    .option('--no-config', 'ignore config files');
  return addTableOptions(cmd, 'shared');
}

/** Every flag of `dockmig [paths...]`. */
export function runFlags(cmd: Command): Command {
  return addTableOptions(migrationFlags(cmd), 'run only');
}
