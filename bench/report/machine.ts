import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  model: string;
  memGiB: number;
  node: string;
  platform: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on a shared machine shows here. */
  loadAvg: number[];
}

export function describeMachine(now = new Date()): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch} ${release()}`,
    date: now.toISOString(),
    loadAvg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
