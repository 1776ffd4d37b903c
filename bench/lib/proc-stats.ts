import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

/** Clock ticks per second of /proc/<pid>/stat times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, in microseconds, read from /proc. */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at field 3; utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLOCK_TICKS;
}

/** Resident set size of a process in bytes (VmRSS). */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** A process's soft limit on open files, or null when /proc does not say. */
export function openFileLimit(pid: number | "self" = "self"): number | null {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"));
    if (!match) return null;
    return match[1] === "unlimited" ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return null;
  }
}

/** CPU share and memory of one process over a window. */
export interface ProcessUsage {
  /** CPU used over the window as % of one core (200 % = both cores of this machine). */
  readonly cpuPercent: number;
  readonly rssStartBytes: number;
  readonly rssPeakBytes: number;
  readonly rssEndBytes: number;
}

/** Samples a process's RSS every `intervalMs` and its CPU at both ends of a window. */
export class ProcessSampler {
  private readonly startCpu: number;
  private readonly startedAt = performance.now();
  private readonly rssStart: number;
  private rssPeak: number;
  private readonly timer: NodeJS.Timeout;
  readonly pid: number;

  constructor(pid: number, intervalMs = 250) {
    this.pid = pid;
    this.startCpu = processCpuUs(pid);
    this.rssStart = processRssBytes(pid);
    this.rssPeak = this.rssStart;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): number {
    try {
      const rss = processRssBytes(this.pid);
      if (rss > this.rssPeak) this.rssPeak = rss;
      return rss;
    } catch {
      return 0;
    }
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    const rssEnd = this.sample();
    const elapsedUs = (performance.now() - this.startedAt) * 1000;
    const cpuUs = processCpuUs(this.pid) - this.startCpu;
    return { cpuPercent: (cpuUs / elapsedUs) * 100, rssStartBytes: this.rssStart, rssPeakBytes: this.rssPeak, rssEndBytes: rssEnd };
  }
}

/** Busy and total jiffies of all cores together, from the first line of /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** How busy the whole machine was between construction and `stop()`, as % of all its cores. */
export class MachineSampler {
  private readonly start = machineJiffies();

  stop(): number {
    const end = machineJiffies();
    const total = end.total - this.start.total;
    return total > 0 ? ((end.busy - this.start.busy) / total) * 100 : 0;
  }
}

/** The machine a run came from. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly loadAverage: readonly number[];
  readonly fileLimit: number | null;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    fileLimit: openFileLimit(),
  };
}
