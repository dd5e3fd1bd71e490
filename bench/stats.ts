/** The few statistics the benchmark reports, in one place. */
import { readdirSync, readFileSync } from 'node:fs';

/** Nearest-rank percentile (p in 0–100) of the values, in any order; 0 for none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** The middle value, or the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Milliseconds to one decimal. */
export const round = (ms: number) => Number(ms.toFixed(1));

/**
 * CPU time (user and system, every thread) a process has used so far, in microseconds: from /proc on Linux,
 * null elsewhere or once the process is gone.
 */
export function cpuMicrosOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name (which may hold spaces).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * CPU time, in microseconds, used so far by every running process whose command name is one of these (e.g.
 * 'postgres' for the server and its backends): from /proc on Linux, 0 elsewhere. Processes that have ended
 * are not counted, so a reading covers those alive at both ends of a measurement.
 */
export function cpuMicrosOfCommands(names: string[]): number {
  let total = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (names.includes(command)) total += cpuMicrosOf(Number(pid)) ?? 0;
    } catch {
      // the process ended while being read
    }
  }
  return total;
}

/** Linux's USER_HZ, 100 on every common platform. */
const CLOCK_TICKS_PER_SECOND = 100;
