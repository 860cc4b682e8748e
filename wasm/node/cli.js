#!/usr/bin/env node
// cli.js — the Node command-line face: the flags, output and exit codes of the native CLI
// (wasm/cli/main.c), running the WASM build of the same core.
import { analyzeFile, open, power, CausewayError } from './index.js';

function usageError(msg) {
  process.stderr.write(`error: ${msg}\n(run 'causeway --help' for usage)\n`);
  return 2;
}

function reportError(file, line, column, msg) {
  const where = line > 0 && column > 0 ? `${file}:${line}:${column}` : line > 0 ? `${file}:${line}` : file;
  process.stderr.write(`error: ${where}: ${msg}\n`);
}

// The commands that read FILE, with their one flag that takes no value (as main.c's job_ops).
const FILE_COMMANDS = {
  analyze: { flag: '--no-header', key: 'header', value: 'no' },
  did: { flag: '--balanced', key: 'balanced', value: 'yes' },
};

async function fileCommand(kind, args) {
  let file = null;
  const options = []; // [name, value] pairs in the order given, as the native CLI sets them
  const cw = await open();
  const cmd = FILE_COMMANDS[kind];
  const check = cw.job(kind === 'analyze' ? 'analysis' : kind, []);
  try {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--help') {
        process.stdout.write(cw.helpText);
        return 0;
      }
      if (arg === cmd.flag) { // the one flag without a value
        check.set(cmd.key, cmd.value);
        options.push([cmd.key, cmd.value]);
        continue;
      }
      if (!arg.startsWith('--') || arg === '--') {
        if (file !== null) return usageError(`unexpected argument '${arg}' (only one FILE)`);
        file = arg;
        continue;
      }
      const eq = arg.indexOf('=');
      let key;
      let value;
      if (eq >= 0) {
        key = arg.slice(2, eq);
        value = arg.slice(eq + 1);
      } else {
        key = arg.slice(2);
        if (i + 1 >= args.length) return usageError(`option --${key} needs a value`);
        value = args[++i];
      }
      if (key === 'file') return usageError('unknown option --file');
      check.set(key, value); // the core checks each option as it comes, as in main.c
      options.push([key, value]);
    }
  } catch (err) {
    if (err instanceof CausewayError) return usageError(err.message);
    throw err;
  } finally {
    check.free();
  }
  if (file === null) return usageError(`${kind} needs a FILE`);
  const shown = file === '-' ? '<stdin>' : file;
  try {
    const { text } = await analyzeFile(file, options, { kind: kind === 'analyze' ? 'analysis' : kind });
    process.stdout.write(`${text}\n`);
    return 0;
  } catch (err) {
    if (err instanceof CausewayError) {
      reportError(shown, err.line, err.column, err.code === 'again'
        ? 'this analysis reads the input more than once (--winsorize, --covariates, did): give a file, not standard input'
        : err.message);
      return err.code === 'option' || err.code === 'again' ? 2 : 1;
    }
    if (err.code && err.syscall) { // a file system error: say it as the C library would
      reportError(shown, 0, 0, err.code === 'ENOENT' ? 'No such file or directory' : err.message);
      return 1;
    }
    throw err;
  }
}

async function powerCommand(args) {
  const options = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help') {
      process.stdout.write((await open()).helpText);
      return 0;
    }
    if (!arg.startsWith('--')) return usageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      options.push([arg.slice(2, eq), arg.slice(eq + 1)]);
    } else {
      if (i + 1 >= args.length) return usageError(`option --${arg.slice(2)} needs a value`);
      options.push([arg.slice(2), args[++i]]);
    }
  }
  try {
    const { text } = await power(options);
    process.stdout.write(`${text}\n`);
    return 0;
  } catch (err) {
    if (err instanceof CausewayError) return usageError(err.message);
    throw err;
  }
}

async function main(argv) {
  const cmd = argv[0];
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const cw = await open();
    (cmd === undefined ? process.stderr : process.stdout).write(cw.helpText);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version') {
    const cw = await open();
    process.stdout.write(`causeway ${cw.version}\n`);
    return 0;
  }
  if (cmd === 'analyze' || cmd === 'did') return fileCommand(cmd, argv.slice(1));
  if (cmd === 'power') return powerCommand(argv.slice(1));
  return usageError(`unknown command '${cmd}'`);
}

process.exitCode = await main(process.argv.slice(2));
