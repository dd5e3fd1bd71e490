import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from './infra';
import { waitFor } from './waiting';

/**
 * Runs a TypeScript entry point (an app's main.ts, a fixture) as its own process, the way production runs it,
 * so that tests can send it real signals. Output is kept for assertions and failure messages.
 */
export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
  /** Signals the whole process group, as Ctrl-C in a terminal does (processes started with `group: true`). */
  killGroup(signal?: NodeJS.Signals): void;
}

/**
 * tsx as a loader inside node (not its CLI, which runs the script in a child process and relays signals): the
 * test's SIGTERM reaches the app itself, as it does in production. Aliases resolve through tsconfig.base.json.
 */
export function runTs(
  entry: string,
  env: Record<string, string | undefined>,
  cwd = WORKSPACE_ROOT,
  args: string[] = [],
): RunningProcess {
  return runCommand(process.execPath, ['--import', 'tsx', entry, ...args], {
    TSX_TSCONFIG_PATH: path.join(WORKSPACE_ROOT, 'tsconfig.base.json'),
    ...env,
  }, cwd);
}

export function runCommand(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd = WORKSPACE_ROOT,
  options: { group?: boolean } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group ?? false,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
    killGroup: (signal = 'SIGINT') => {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    },
  };
}

/** Waits for a JSON log line with this message and returns it parsed. */
export async function waitForLogLine(running: RunningProcess, msg: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  return waitFor(
    () => {
      if (running.child.exitCode !== null) throw new Error(`process exited early:\n${running.output()}`);
      for (const line of running.output().split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === msg) return parsed;
      }
      return undefined;
    },
    `log line "${msg}"`,
    timeoutMs,
  );
}

/** Waits until GET url answers 200. */
export async function waitForHttpOk(url: string, timeoutMs = 20_000, running?: RunningProcess): Promise<void> {
  await waitFor(
    async () => {
      if (running && running.child.exitCode !== null) throw new Error(`process exited early:\n${running.output()}`);
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return response.status === 200;
    },
    `${url} to answer 200`,
    timeoutMs,
  );
}

/** Resolves with the exit code, or fails if the process has not exited in time. */
export async function exitWithin(running: RunningProcess, timeoutMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process still running after ${timeoutMs} ms:\n${running.output()}`)), timeoutMs);
  });
  try {
    return await Promise.race([running.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}
